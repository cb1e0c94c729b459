//! TODO(#5): synthetic
