//! TODO(#5): dentex
