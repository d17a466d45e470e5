//! The runbook folders as git checkouts: `runbook sync` fast-forwards them from their
//! upstream (the only code that touches the network, and only when asked), and `age` says how
//! old the runbooks on this machine are. Git is driven through its command line, so the
//! responder's own git config, credentials and SSH setup apply.

pub mod age;
mod git;
pub mod sync;

pub use age::Age;
pub use git::GitError;
pub use git::toplevel as checkout_of;
pub use sync::{Outcome, sync};
