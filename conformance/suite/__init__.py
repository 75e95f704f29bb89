"""The conformance tests that run against an implementation, one module per area of SEMANTICS.md."""
