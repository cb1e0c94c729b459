//! TODO(#5): dataset
