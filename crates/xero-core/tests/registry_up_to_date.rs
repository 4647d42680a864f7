//! The committed entity registry (spec_columns.rs, registry.rs) must be exactly what the
//! generator makes from the pinned OpenAPI specification and tools/entity_overrides.yaml.
use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_entity_registry_matches_the_openapi_specification() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The repository's pinned copy (spec/SOURCE says which commit of Xero's repository).
    let spec = root.join("spec/xero_accounting.yaml");
    assert!(spec.exists(), "Xero's OpenAPI spec not found at {}", spec.display());
    let out = Command::new("python3").arg(root.join("tools/gen_entities.py")).arg("--check").arg(&spec).output().expect("python3 runs the generator");
    assert!(
        out.status.success(),
        "the registry differs from the generator's output ({}): run tools/gen_entities.py",
        String::from_utf8_lossy(&out.stderr).trim()
    );
}
