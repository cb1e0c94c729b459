//! TODO(#5): fhir
