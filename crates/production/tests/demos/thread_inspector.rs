//! P10 `thread_inspector` (a sidebar, no twins): the guide lists threads with Mach calls; on Linux
//! the kernel lists them under `/proc/self/task`. One smoke test: a thread named with
//! `thread::Builder::name` shows up there under that name.

// ANCHOR: smoke
/// Names a thread, and finds it by that name in `/proc/self/task/*/comm`; reads its state from
/// `/proc/self/task/<tid>/stat` on the way. Skips, with a message, where there is no procfs.
#[test]
fn thread_inspector_finds_a_named_thread_under_proc_self_task() {
    #[cfg(target_os = "linux")]
    {
        use std::sync::mpsc;
        use std::{fs, thread};

        const NAME: &str = "p10-inspected"; // ≤ 15 bytes: the kernel keeps no more (TASK_COMM_LEN)
        let (started, has_started) = mpsc::channel();
        let (release, wait_for_release) = mpsc::channel::<()>();
        let inspected = thread::Builder::new()
            .name(NAME.to_string())
            .spawn(move || {
                started.send(()).unwrap();
                let _ = wait_for_release.recv(); // stays alive until the test has looked
            })
            .unwrap();
        has_started.recv().unwrap();

        // One directory per thread of this process, named by its thread ID.
        let mut found = Vec::new();
        for task in fs::read_dir("/proc/self/task").unwrap() {
            let dir = task.unwrap().path();
            let Ok(comm) = fs::read_to_string(dir.join("comm")) else {
                continue; // a thread that ended while we listed
            };
            if comm.trim_end() == NAME {
                // `tid (comm) S ...`: the state is the first field after the last ')'.
                let stat = fs::read_to_string(dir.join("stat")).unwrap();
                let after_name = &stat[stat.rfind(')').unwrap() + 2..];
                let state = after_name.chars().next().unwrap();
                found.push((dir.file_name().unwrap().to_owned(), state));
            }
        }
        release.send(()).unwrap();
        inspected.join().unwrap();

        assert_eq!(found.len(), 1, "{NAME} under /proc/self/task: {found:?}");
        let (_, state) = found[0];
        assert!("RSD".contains(state), "state {state:?}"); // running, sleeping, disk sleep
    }
    #[cfg(not(target_os = "linux"))]
    eprintln!("skipped: /proc/self/task is Linux-only (the guide's Mach calls are Apple-only)");
}
// ANCHOR_END: smoke
