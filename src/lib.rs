//! wfgen: compile one typed TOML profile into validated, hardened GitHub
//! Actions workflows.

pub mod actions;
pub mod diagnostic;
pub mod compile;
pub mod emit;
pub mod profile;
pub mod workflow;
