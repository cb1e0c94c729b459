//! TODO(#5): overlay
