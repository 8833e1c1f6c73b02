//! The Rust stack (`[rust]`): its profile types, stages, checks, CI jobs
//! and the release workflow of a Rust CLI (`[rust.release]`).

mod checks;
mod jobs;
mod profile;
mod release;
mod setup;
mod stages;
mod toolchain_name;

pub use checks::check;
pub use jobs::{jobs, security_scan_job};
pub use profile::{
    DenyCheck, Rust, RustLint, RustMsrv, RustRelease, RustSecurity, RustSecurityTool, RustSuite,
    RustTestRunner,
};
pub use release::{TARGETS, Target, archive, workflow as release_workflow};
pub use stages::MSRV;
pub use toolchain_name::Toolchain;
