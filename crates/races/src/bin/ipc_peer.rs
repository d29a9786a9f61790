//! `ipc_peer`: the other process in R14 `cross_process_ipc`'s tests and demo — a tiny binary that
//! bumps a shared counter file or observes a notification, saying each step on stdout and waiting
//! for its parent's go-ahead on stdin between steps, so the parent can force an interleaving across
//! two real processes. All of its logic lives in `races::cross_process_ipc::peer`.

use std::process::ExitCode;

fn main() -> ExitCode {
    races::cross_process_ipc::peer::main(std::env::args_os().skip(1).collect())
}
