//! The guide's `HardwareResource` and `CameraError`, shared by both twins (the devices are
//! simulated: nothing is opened).

use std::fmt;

/// The guide's `HardwareResource`: the exclusive devices of a phone, simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// `.camera`.
    Camera,
    /// `.microphone`.
    Microphone,
    /// `.location`.
    Location,
    /// `.bluetooth`.
    Bluetooth,
    /// `.wifi`.
    Wifi,
}

impl Resource {
    /// Every device (the guide's `allCases`), in declaration order.
    pub const ALL: [Resource; 5] = [
        Resource::Camera,
        Resource::Microphone,
        Resource::Location,
        Resource::Bluetooth,
        Resource::Wifi,
    ];
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resource::Camera => "camera",
            Resource::Microphone => "microphone",
            Resource::Location => "location",
            Resource::Bluetooth => "bluetooth",
            Resource::Wifi => "wifi",
        })
    }
}

/// The guide's `CameraError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraError {
    /// The camera is not free.
    ResourceUnavailable,
    /// The camera did not start.
    InitializationFailed,
}

impl fmt::Display for CameraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CameraError::ResourceUnavailable => "resource unavailable",
            CameraError::InitializationFailed => "initialization failed",
        })
    }
}

impl std::error::Error for CameraError {}
