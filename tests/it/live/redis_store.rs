//! `RedisStore` (the rotation engine's Redis) against the fixture's real Redis 7: the ACL dual-password window,
//! rollback, and the `requirepass` fallback of servers without ACL.

use docker_secops::secret::Secret;
use docker_secops::stores::{CredentialStore, Probe, RedisAuthMode, RedisStore, StoreAddress};

use super::stack::Stack;

const OLD: &str = "fixture-redis-pass-7f3a9c2e41";
const NEW: &str = "rotated-redis-pass-1c5e9b7d3a";

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

fn open(stack: &Stack, current: &str) -> RedisStore {
    let (host, port) = stack.published("redis", 6379);
    let address = StoreAddress::Tcp { host, port, via: "test".into() };
    block_on(RedisStore::open(address, "redis", None, &Secret::new(current))).expect("opens")
}

fn probes(store: &RedisStore) -> (Probe, Probe) {
    block_on(async { (store.probe(&Secret::new(OLD)).await, store.probe(&Secret::new(NEW)).await) })
}

#[test]
fn acl_window_keeps_both_passwords_until_finish_and_the_data_throughout() {
    let Some(stack) = Stack::up_services("redis_window", &["redis"]) else { return };
    assert_eq!(stack.redis_cli(OLD, "SET precious kept"), "OK");
    let store = open(&stack, OLD);
    assert_eq!(store.mode(), RedisAuthMode::Acl { aclfile: false });
    assert!(store.dual_window());
    assert!(!store.describe().contains(OLD));

    block_on(store.set(&Secret::new(OLD), &Secret::new(NEW))).expect("set");
    assert_eq!(probes(&store), (Probe::Ok, Probe::Ok), "both passwords work during the window");
    block_on(store.test(&Secret::new(NEW))).expect("test with the new password");

    block_on(store.finish(&Secret::new(OLD), &Secret::new(NEW))).expect("finish");
    assert_eq!(probes(&store), (Probe::Rejected, Probe::Ok), "the old password is revoked at finish");
    block_on(store.finish(&Secret::new(OLD), &Secret::new(NEW))).expect("finish again (after a crash) is a no-op");
    assert_eq!(stack.redis_cli(NEW, "GET precious"), "kept");
}

#[test]
fn rollback_restores_the_old_password_and_revokes_the_new() {
    let Some(stack) = Stack::up_services("redis_rollback", &["redis"]) else { return };
    let store = open(&stack, OLD);
    block_on(store.set(&Secret::new(OLD), &Secret::new(NEW))).expect("set");
    block_on(store.rollback(&Secret::new(OLD), &Secret::new(NEW))).expect("rollback");
    assert_eq!(probes(&store), (Probe::Ok, Probe::Rejected));
    block_on(store.rollback(&Secret::new(OLD), &Secret::new(NEW))).expect("rollback again is a no-op");
    assert_eq!(probes(&store), (Probe::Ok, Probe::Rejected));
}

#[test]
fn requirepass_fallback_switches_at_once_and_rolls_back() {
    let Some(stack) = Stack::up_services("redis_requirepass", &["redis"]) else { return };
    let store = open(&stack, OLD).with_mode(RedisAuthMode::RequirePass);
    assert!(!store.dual_window());
    block_on(store.set(&Secret::new(OLD), &Secret::new(NEW))).expect("set");
    assert_eq!(probes(&store), (Probe::Rejected, Probe::Ok), "requirepass has no overlap");
    block_on(store.test(&Secret::new(NEW))).expect("test");
    block_on(store.rollback(&Secret::new(OLD), &Secret::new(NEW))).expect("rollback");
    assert_eq!(probes(&store), (Probe::Ok, Probe::Rejected));
}

#[test]
fn a_wrong_current_password_fails_without_revealing_either_value() {
    let Some(stack) = Stack::up_services("redis_wrong_current", &["redis"]) else { return };
    let store = open(&stack, OLD);
    let err = block_on(store.set(&Secret::new("not-the-password-at-all"), &Secret::new(NEW))).expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("set failed"), "{text}");
    assert!(!text.contains(NEW) && !text.contains("not-the-password-at-all") && !text.contains(OLD), "{text}");
    assert_eq!(probes(&store), (Probe::Ok, Probe::Rejected), "nothing changed");
    let (host, port) = stack.published("redis", 6379);
    let address = StoreAddress::Tcp { host, port, via: "test".into() };
    assert!(block_on(RedisStore::open(address, "redis", None, &Secret::new("wrong-wrong-wrong"))).is_err());
}
