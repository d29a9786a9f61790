//! N7 `biometric_capability` — Face ID that only gates a branch in the app lets in whoever adds
//! their face to the phone later.
//!
//! Ports the guide's "Biometric Authentication Integration" (L2714–2852). Its security is a
//! boolean: `authenticateWithBiometrics` returns `Bool`, `authenticateForNetworkRequest` returns a
//! hard-coded string (L2811), and `secureRequest` throws that away (L2839) and sends the request
//! with nothing tied to the match. `evaluatePolicy(.deviceOwnerAuthenticationWithBiometrics)`
//! succeeds for *any* face enrolled now — so someone who learns the passcode, adds his face in
//! Settings, and opens the app passes "Face ID". (A hooked `evaluatePolicy` reply passes too:
//! the same hole, reached with a debugger instead of Settings.)
//!
//! LocalAuthentication, the Keychain and the Secure Enclave are Apple-only. What is portable is
//! the *logic*: [`device`] writes down the rules the OS applies (it is a model, and says so); the
//! twins are the app code that runs against those rules.
//!
//! The check ([`owner_in_thief_out`]): the owner signs in (the bank issues a session token) and
//! makes a request with her face — served. Then a thief who knows the passcode enrolls his face
//! and makes the same request — it must not be served.
//!
//! * [`broken`] keeps the token in a plain item, read after the app's own `evaluatePolicy` branch:
//!   the thief's face is enrolled, the branch passes, the bank serves him.
//! * [`fixed`] stores the token with `.biometryCurrentSet`: the OS invalidated the item when the
//!   thief's face was added; the app must ask for the password again. One line apart.
//!
//! How it is caught: **the only schedule** (one thread, no concurrency: the bug is in the logic).

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, as_actor, traced};

pub mod broken;
pub mod device;
pub mod fixed;

use device::{Device, KeychainError};

/// The Keychain account the session token is stored under.
pub const ACCOUNT: &str = "session_token";

/// Why a secure request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// `BiometricAuthError.authenticationFailed`.
    AuthenticationFailed,
    /// The Keychain refused the token.
    Keychain(KeychainError),
    /// The bank refused the token.
    Refused,
}

/// The bank's API, in memory (the lesson is on the phone, not on the wire): it issued one session
/// token at the password sign-in and serves the account to whoever presents it.
#[derive(Debug)]
pub struct Bank {
    token: String,
}

impl Bank {
    /// A bank that issued `token` to the owner's password sign-in.
    pub fn new(token: &str) -> Bank {
        Bank {
            token: token.to_owned(),
        }
    }

    /// `GET /account` with `Authorization: Bearer <token>`.
    pub fn account(&self, token: &str) -> Result<String, AuthError> {
        as_actor("bank", || match token == self.token {
            true => {
                say!("serves the account (balance 2,400) to the session token");
                Ok("balance 2,400".to_owned())
            }
            false => {
                say!("refuses an unknown token");
                Err(AuthError::Refused)
            }
        })
    }
}

/// What the check needs from a twin: the guide's network manager.
pub trait App {
    /// The password sign-in succeeded: keep `token` for later requests.
    fn signed_in(&self, device: &mut Device, token: &str);
    /// A request "behind Face ID".
    fn secure_request(&self, device: &Device, bank: &Bank) -> Result<String, AuthError>;
}

// ANCHOR: check
/// The owner signs in and makes a request with her face; then a thief who knows the passcode adds
/// his face and makes the same request. The owner must be served; the thief must not.
pub fn owner_in_thief_out(app: &impl App) -> Result<(), String> {
    let token = "st-91c2"; // what the bank issued at the password sign-in
    let bank = Bank::new(token);
    let mut phone = Device::new("owner");
    app.signed_in(&mut phone, token);
    say!("the owner signed in with her password; the app keeps the session token");

    say!("the owner asks for her balance, Face ID with her face");
    if let Err(e) = app.secure_request(&phone, &bank) {
        return Err(format!("the owner was refused: {e:?}"));
    }

    phone.enroll("thief");
    phone.hand_to("thief");
    say!("a thief who saw the passcode adds his face (an alternate appearance), opens the app");
    match app.secure_request(&phone, &bank) {
        Ok(_) => Err("the thief's face, enrolled after sign-in, got the owner's account".into()),
        Err(e) => {
            say!("refused: {e:?} — the app must ask for the password again");
            Ok(())
        }
    }
}
// ANCHOR_END: check

/// Runs the check for one twin, with a trace installed (lines signed `app` and `bank`).
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| {
        as_actor("app", || match variant {
            Variant::Broken => owner_in_thief_out(&broken::SecureBiometricNetworkManager),
            Variant::Fixed => owner_in_thief_out(&fixed::SecureBiometricNetworkManager),
        })
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N7",
    name: "biometric_capability",
    summary: "Face ID as an app branch admits a face added later; bind the token to the face set",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a phone (a model of iOS's rules) and a bank: the owner, then a thief's face");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the owner was served; the thief's newly enrolled face was not",
    );
    report
}
