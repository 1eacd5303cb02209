//! Unit tests of `StoreAddress` (kept apart: the cases need a fake container each).

use super::*;
use crate::docker::ContainerInfo;

fn container(state: &str, ports: serde_json::Value, ip: &str) -> ContainerInfo {
    let inspect = serde_json::from_value(serde_json::json!({
        "Id": "0123456789abcdef",
        "Name": "/shop-redis-1",
        "State": {"Status": state},
        "Config": {"Image": "redis:7", "Labels": {"com.docker.compose.service": "redis"}},
        "NetworkSettings": {"Ports": ports, "Networks": {"bridge": {"IPAddress": "10.9.9.9"}, "shop_default": {"IPAddress": ip}}}
    }))
    .expect("inspect json");
    ContainerInfo::from_inspect(inspect)
}

const LOCAL: &str = "unix:///var/run/docker.sock";

fn redis() -> StoreKind {
    StoreKind::named("redis").expect("redis is registered")
}

fn mongo() -> StoreKind {
    StoreKind::named("mongo").expect("mongo is registered")
}

#[test]
fn published_port_first_on_loopback() {
    let c = container(
        "running",
        serde_json::json!({"6379/tcp": [{"HostIp": "0.0.0.0", "HostPort": "40001"}]}),
        "172.20.0.3",
    );
    let a = StoreAddress::resolve(redis(), "redis", Some(&c), "shop", LOCAL, None).expect("resolves");
    assert_eq!(a.to_string(), "127.0.0.1:40001");
}

#[test]
fn container_address_on_the_project_network_next() {
    let c = container("running", serde_json::json!({}), "172.20.0.3");
    let a = StoreAddress::resolve(redis(), "redis", Some(&c), "shop", LOCAL, None).expect("resolves");
    assert_eq!(a.to_string(), "172.20.0.3:6379");
    assert!(matches!(a, StoreAddress::Tcp { via, .. } if via.contains("shop_default")));
}

#[test]
fn remote_engine_uses_its_host_for_published_ports_and_never_container_addresses() {
    let c = container(
        "running",
        serde_json::json!({"6379/tcp": [{"HostIp": "0.0.0.0", "HostPort": "40001"}]}),
        "172.20.0.3",
    );
    let a =
        StoreAddress::resolve(redis(), "redis", Some(&c), "shop", "ssh://ops@db.example:22", None).expect("resolves");
    assert_eq!(a.to_string(), "db.example:40001");
    let c = container("running", serde_json::json!({}), "172.20.0.3");
    let err = StoreAddress::resolve(redis(), "redis", Some(&c), "shop", "tcp://10.0.0.5:2376", None).unwrap_err();
    assert!(err.to_string().contains("--store-uri"), "{err}");
}

#[test]
fn stopped_or_missing_containers_are_errors_that_name_the_service() {
    let c = container("exited", serde_json::json!({}), "");
    let err = StoreAddress::resolve(mongo(), "mongo", Some(&c), "shop", LOCAL, None).unwrap_err();
    assert_eq!(err.to_string(), "the container of service mongo is exited");
    let err = StoreAddress::resolve(mongo(), "mongo", None, "shop", LOCAL, None).unwrap_err();
    assert!(err.to_string().contains("--store-uri"), "{err}");
}

#[test]
fn uri_override_wins_and_never_displays_credentials() {
    let a = StoreAddress::resolve(redis(), "redis", None, "shop", LOCAL, Some("redis://u:hunter2@h:1/0")).expect("uri");
    assert_eq!(a.to_string(), "redis://h:1/0");
    assert_eq!(format!("{a:?}"), "Uri(redis://h:1/0)");
    let err = StoreAddress::from_uri(mongo(), "http://u:hunter2@h").unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(StoreAddress::from_uri(mongo(), "mongodb+srv://cluster.example").is_ok());
}
