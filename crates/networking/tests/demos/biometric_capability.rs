//! N7 `biometric_capability`: Face ID as a branch in the app admits a face enrolled later.

use networking::biometric_capability::device::{Access, Device, KeychainError};
use networking::biometric_capability::{
    ACCOUNT, App, AuthError, Bank, broken, fixed, owner_in_thief_out, run,
};
use racelab_kit::demo::Variant;

/// The trivial case: with only the owner's face, the broken app serves her and refuses a
/// stranger who is not enrolled.
#[test]
fn broken_biometric_capability_serves_the_owner_and_refuses_a_stranger() {
    let (app, bank) = (broken::SecureBiometricNetworkManager, Bank::new("t"));
    let mut phone = Device::new("owner");
    app.signed_in(&mut phone, "t");
    assert!(app.secure_request(&phone, &bank).is_ok());
    phone.hand_to("stranger");
    assert_eq!(
        app.secure_request(&phone, &bank),
        Err(AuthError::AuthenticationFailed)
    );
}

/// The model's rule the fix relies on: a `.biometryCurrentSet` item is gone once the set changes
/// — even for the owner's own face.
#[test]
fn a_biometry_current_set_item_is_invalidated_by_a_new_face() {
    let mut phone = Device::new("owner");
    phone.store(ACCOUNT, "t", Access::BiometryCurrentSet);
    assert_eq!(phone.read(ACCOUNT).as_deref(), Ok("t"));
    phone.enroll("someone");
    assert_eq!(phone.read(ACCOUNT), Err(KeychainError::Invalidated));
}

// ANCHOR: caught
/// The one schedule: the thief's face, added after sign-in, passes the app's branch.
#[test]
fn broken_biometric_capability_serves_a_face_enrolled_later() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the thief's face, enrolled after sign-in, got the owner's account"
    );
    racelab_testkit::snapshot!("biometric_capability__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin.
#[test]
fn fixed_biometric_capability_serves_the_owner_only() {
    assert_eq!(
        owner_in_thief_out(&fixed::SecureBiometricNetworkManager),
        Ok(())
    );
}

/// The other way past a branch: patch it (a hooked `evaluatePolicy` reply). An app with the
/// branch skipped, on a phone held by someone never enrolled, still reads a plain item — and is
/// refused a `.biometryCurrentSet` one, because the OS, not the app, asks for the face.
#[test]
fn a_patched_branch_reads_a_plain_item_but_not_a_bound_one() {
    for (access, expected) in [
        (Access::WhenUnlocked, Ok("t".to_owned())),
        (Access::BiometryCurrentSet, Err(KeychainError::NoMatch)),
    ] {
        let mut phone = Device::new("owner");
        phone.store(ACCOUNT, "t", access);
        phone.hand_to("stranger");
        assert_eq!(phone.read(ACCOUNT), expected, "{access:?}");
    }
}
