//! Generates the `connect.v1` tonic/prost code and its encoded `FileDescriptorSet`.
//!
//! `protoc` and the well-known-type `.proto` files (`google/protobuf/*.proto`) come from
//! `protoc-bin-vendored`, so building needs no system `protoc`. The protoc path is passed
//! through `prost_build::Config::protoc_executable` rather than the `PROTOC` environment
//! variable, because `std::env::set_var` is `unsafe` in edition 2024 and the workspace
//! forbids unsafe code.

use std::{env, error::Error, path::PathBuf};

/// The `.proto` files of the `connect.v1` package, relative to this crate.
const PROTOS: &[&str] = &[
    "connect/v1/connect_service.proto",
    "connect/v1/connector.proto",
    "connect/v1/offsets.proto",
    "connect/v1/plugin.proto",
    "connect/v1/status.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let well_known_types = protoc_bin_vendored::include_path()?;

    // `tonic_prost_build` emits rerun-if-changed for every listed file; the directory line
    // also catches files added to the package.
    println!("cargo:rerun-if-changed=connect");

    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc);

    let protos: Vec<PathBuf> = PROTOS.iter().map(PathBuf::from).collect();
    let includes = [PathBuf::from("."), well_known_types];
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .file_descriptor_set_path(out_dir.join("connect_v1_descriptor.bin"))
        .compile_with_config(config, &protos, &includes)?;
    Ok(())
}
