//! TODO(#5): inference
