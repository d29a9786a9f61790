// N12: a fetch completion reported twice — once early with `.newData`, once after the work. In
// Swift the `fetchCompletionHandler` is a plain closure and nothing stops a second call. Here the
// completion is a value whose `complete` takes `self` (a `oneshot::Sender` underneath; std's
// `mpsc::Sender` keeps this case std-only): the first call moves it, the second is rejected (E0382).
use std::sync::mpsc;

#[derive(Debug)]
enum FetchResult {
    NewData,
    Failed,
}

struct FetchCompletion(mpsc::Sender<FetchResult>);

impl FetchCompletion {
    fn complete(self, result: FetchResult) {
        let _ = self.0.send(result);
    }
}

fn did_receive_remote_notification(fetch_ok: bool, completion: FetchCompletion) {
    completion.complete(FetchResult::NewData); // the guide: report first
    if !fetch_ok {
        completion.complete(FetchResult::Failed); // and again when the work fails
    }
}

fn main() {
    let (tx, rx) = mpsc::channel();
    did_receive_remote_notification(false, FetchCompletion(tx));
    println!("{:?}", rx.recv());
}
