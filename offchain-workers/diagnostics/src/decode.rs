//! TODO(#5): decode
