//! The runbook folders as git checkouts: `runbook sync` fast-forwards them from their
//! upstream (the only code that touches the network, and only when asked), and `age` says how
//! old the runbooks on this machine are. Git is driven through its command line, so the
//! responder's own git config, credentials and SSH setup apply.

pub(crate) mod age;
mod git;
pub(crate) mod sync;

pub use age::Age;
pub(crate) use git::toplevel as checkout_of;
pub(crate) use sync::{Outcome, sync};
