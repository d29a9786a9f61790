//! R2 counter_variants benchmark: a placeholder until R2 lands (documented so clippy -D warnings passes).
fn main() {}
