//! TODO(#5): encode
