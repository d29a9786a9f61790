//! `cargo run -p races-deadlock-detection`: parking_lot's deadlock detector finding an AB/BA
//! cycle among two real, blocked threads. Takes no arguments; exits by itself.

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(arg) = std::env::args().nth(1) {
        eprintln!("races-deadlock-detection: takes no arguments (got '{arg}')");
        return ExitCode::from(2);
    }
    let (watched, text) = races_deadlock_detection::narrate();
    print!("{text}");
    match watched {
        racelab_kit::watchdog::Outcome::Finished(cycles) if !cycles.is_empty() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}
