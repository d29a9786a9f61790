// A1: a completion handler called twice — the callback form of resuming a continuation twice,
// which Swift's `CheckedContinuation` traps on and `UnsafeContinuation` leaves undefined. The
// classic way in: a `guard` that calls the completion and forgets to `return`. In Rust the
// completion is an `FnOnce`: the first call moves it, and the second is rejected (E0382).
type Completion = Box<dyn FnOnce(Result<&'static str, u16>) + Send>;

fn fetch_user_data(status: u16, completion: Completion) {
    if status != 200 {
        completion(Err(status)); // no `return` here
    }
    completion(Ok("John"));
}

fn main() {
    fetch_user_data(500, Box::new(|result| println!("{result:?}")));
}
