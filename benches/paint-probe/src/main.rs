//! `paint-probe TITLE PROGRAM [ARGS…]`: starts PROGRAM, finds its top-level window
//! named TITLE, and prints `pid mapped_ms paint_ms complete_ms`: milliseconds from spawn
//! until the window is viewable, until its pixels are no longer all one colour, and until
//! they last changed (the first screen complete on the display: nothing changes for
//! `SETTLED` after it). The program keeps running (its output discarded); the caller
//! measures and stops it.

use std::ffi::CStr;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use x11_dl::xlib;

/// How long the pixels must stay the same for the screen to count as complete.
const SETTLED: Duration = Duration::from_millis(1500);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [title, program, rest @ ..] = args.as_slice() else {
        eprintln!("usage: paint-probe TITLE PROGRAM [ARGS...]");
        return ExitCode::from(2);
    };
    let Ok(x) = xlib::Xlib::open() else {
        eprintln!("paint-probe: libX11 could not be loaded");
        return ExitCode::FAILURE;
    };
    // SAFETY: a null name means "the DISPLAY variable"; the result is checked for null below.
    let display = unsafe { (x.XOpenDisplay)(std::ptr::null()) };
    if display.is_null() {
        eprintln!("paint-probe: no X display (run it under Xvfb)");
        return ExitCode::FAILURE;
    }
    let start = Instant::now();
    let child = match Command::new(program).args(rest).stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("paint-probe: {program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let deadline = start + Duration::from_secs(30);
    let window = loop {
        // SAFETY: `display` is the open, non-null connection from above.
        if let Some(w) = unsafe { find_viewable(&x, display, title) } {
            break w;
        }
        if Instant::now() > deadline {
            eprintln!("paint-probe: no window named {title:?} within 30 s");
            return ExitCode::FAILURE;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mapped = start.elapsed();
    let mut painted = None;
    let (mut last, mut changed) = (None, start.elapsed());
    loop {
        // SAFETY: `display` is open and `window` came from its own tree walk.
        let Some(frame) = (unsafe { frame(&x, display, window) }) else {
            eprintln!("paint-probe: the window's pixels could not be read (not 32 bits a pixel?)");
            return ExitCode::FAILURE;
        };
        let now = start.elapsed();
        if painted.is_none() && !frame.uniform {
            painted = Some(now);
        }
        if last != Some(frame.hash) {
            (last, changed) = (Some(frame.hash), now);
        }
        if painted.is_some() && now - changed >= SETTLED {
            break;
        }
        if Instant::now() > deadline {
            eprintln!("paint-probe: the window did not paint and settle within 30 s");
            return ExitCode::FAILURE;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let painted = painted.expect("the loop ends only after the first paint");
    println!("{} {} {} {}", child.id(), mapped.as_millis(), painted.as_millis(), changed.as_millis());
    // SAFETY: closed once, after its last use.
    unsafe { (x.XCloseDisplay)(display) };
    ExitCode::SUCCESS
}

/// A viewable window named `title` anywhere under the root.
unsafe fn find_viewable(x: &xlib::Xlib, display: *mut xlib::Display, title: &str) -> Option<xlib::Window> {
    let mut stack = vec![(x.XDefaultRootWindow)(display)];
    while let Some(w) = stack.pop() {
        let mut name = std::ptr::null_mut();
        if (x.XFetchName)(display, w, &mut name) != 0 && !name.is_null() {
            let matches = CStr::from_ptr(name).to_bytes() == title.as_bytes();
            (x.XFree)(name.cast());
            let mut attrs: xlib::XWindowAttributes = std::mem::zeroed();
            if matches && (x.XGetWindowAttributes)(display, w, &mut attrs) != 0 && attrs.map_state == xlib::IsViewable {
                return Some(w);
            }
        }
        let (mut root, mut parent, mut children, mut count) = (0, 0, std::ptr::null_mut(), 0u32);
        if (x.XQueryTree)(display, w, &mut root, &mut parent, &mut children, &mut count) != 0 && !children.is_null() {
            stack.extend_from_slice(std::slice::from_raw_parts(children, count as usize));
            (x.XFree)(children.cast());
        }
    }
    None
}

/// One reading of the window's pixels.
struct Frame {
    /// Every pixel has the same value (nothing painted yet).
    uniform: bool,
    /// FNV-1a over the pixels (a word at a time), to tell when they change.
    hash: u64,
}

/// Reads the window's pixels (32 bits each, as Xvfb's default depth gives).
unsafe fn frame(x: &xlib::Xlib, display: *mut xlib::Display, window: xlib::Window) -> Option<Frame> {
    let mut attrs: xlib::XWindowAttributes = std::mem::zeroed();
    if (x.XGetWindowAttributes)(display, window, &mut attrs) == 0 {
        return None;
    }
    let image = (x.XGetImage)(display, window, 0, 0, attrs.width as u32, attrs.height as u32, !0, xlib::ZPixmap);
    if image.is_null() {
        return None;
    }
    let img = &*image;
    let frame = (img.bits_per_pixel == 32).then(|| {
        let (width, stride) = (img.width as usize * 4, img.bytes_per_line as usize);
        // SAFETY: XGetImage allocated `bytes_per_line * height` bytes at `data`.
        let data = std::slice::from_raw_parts(img.data as *const u8, stride * img.height as usize);
        let first = &data[..4];
        let (mut uniform, mut hash) = (true, 0xcbf2_9ce4_8422_2325_u64);
        for row in data.chunks(stride) {
            let row = &row[..width];
            uniform = uniform && row.chunks(4).all(|p| p == first);
            // A pixel at a time: a quarter of the work of hashing bytes, for a probe that
            // shares the machine with the app it watches.
            for p in row.chunks(4) {
                hash = (hash ^ u64::from(u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))).wrapping_mul(0x0100_0000_01b3);
            }
        }
        Frame { uniform, hash }
    });
    (x.XDestroyImage)(image);
    frame
}
