//! wfgen's integration tests: one test binary (`cargo test --test
//! integration`), one module per topic, the helpers they share in
//! [`support`]. A new topic is a new `<topic>.rs` here and one `mod` line
//! below. Fixtures stay in `tests/` (`profiles/`, `bad-profiles/`,
//! `fixtures/`); insta snapshots live in `tests/integration/snapshots/`.

// A test binary has no public API: its helpers are `pub` only to be
// shared between its modules.
#![allow(unreachable_pub)]

mod support;

mod bad_profiles;
mod calls;
mod cli;
mod cloud;
mod dependabot_bump;
mod deploy_helm;
mod deploy_ssh;
mod deploy_ssh_hostile;
mod deploy_ssh_more;
mod deployed_images;
mod disk_safety;
mod exit_codes;
mod freshness_install;
mod generated;
mod hostile;
mod init;
mod large_profiles;
mod output;
mod own_workflows;
mod pull_requests;
mod python_stack;
mod quick;
mod readme;
mod redeploy_script;
mod repo_check;
mod seeds;
mod services_and_hooks;
mod text_and_value;
mod version_script;
