//! The pallet's tests, one file per concern. Each runs in [`crate::mock::build_and_execute`],
//! which checks the invariants after it.

mod calls;
mod election;
mod reliability;
mod score;
