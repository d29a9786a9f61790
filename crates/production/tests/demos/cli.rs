//! The command-line contract every chapter binary keeps (checks shared in
//! `racelab_testkit::cli_contract`).

use racelab_testkit::cli_contract;

const PRODUCTION: &str = env!("CARGO_BIN_EXE_production");

#[test]
fn list_shows_every_demo_with_its_id() {
    cli_contract::list_shows_every_demo(PRODUCTION, &production::CHAPTER);
}

#[test]
fn a_demo_runs_by_id_and_reports_its_verdict() {
    cli_contract::a_demo_runs_by_id(PRODUCTION, &production::CHAPTER);
}

#[test]
fn an_unknown_demo_is_one_line_and_exit_2() {
    cli_contract::an_unknown_demo_is_one_line(PRODUCTION);
}

#[test]
fn a_bad_flag_is_one_line_and_exit_2() {
    cli_contract::a_bad_flag_is_one_line(PRODUCTION, &production::CHAPTER);
}

#[test]
fn lanes_draw_one_column_per_thread_within_100_columns() {
    cli_contract::lanes_fit_a_terminal(PRODUCTION, &production::CHAPTER);
}

#[test]
fn a_sidebar_says_where_to_read_it() {
    cli_contract::a_sidebar_says_where_to_read_it(PRODUCTION, &production::CHAPTER);
}
