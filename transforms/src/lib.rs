//! Single Message Transforms (SMTs) and predicates, one per file, and the chain that runs them. Filled by the SMT issue.
