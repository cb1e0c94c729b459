//! TODO(#5): plot
