//! TODO(#5): model
