//! `paint-probe TITLE PROGRAM [ARGS…]`: starts PROGRAM, finds its top-level window
//! named TITLE, and prints `pid mapped_ms paint_ms`: milliseconds from spawn until
//! the window is viewable, and until its pixels are no longer all one colour.
//! The program keeps running (its output discarded); the caller measures and stops it.

use std::ffi::CStr;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use x11_dl::xlib;

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
    // SAFETY: `display` is open and `window` came from its own tree walk.
    while unsafe { one_colour(&x, display, window) } {
        if Instant::now() > deadline {
            eprintln!("paint-probe: the window stayed one colour for 30 s");
            return ExitCode::FAILURE;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let painted = start.elapsed();
    println!("{} {} {}", child.id(), mapped.as_millis(), painted.as_millis());
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

/// Whether every pixel of the window has the same value (nothing painted yet).
unsafe fn one_colour(x: &xlib::Xlib, display: *mut xlib::Display, window: xlib::Window) -> bool {
    let mut attrs: xlib::XWindowAttributes = std::mem::zeroed();
    if (x.XGetWindowAttributes)(display, window, &mut attrs) == 0 {
        return true;
    }
    let image = (x.XGetImage)(display, window, 0, 0, attrs.width as u32, attrs.height as u32, !0, xlib::ZPixmap);
    if image.is_null() {
        return true;
    }
    let img = &*image;
    let first = (x.XGetPixel)(image, 0, 0);
    let mut uniform = true;
    'rows: for y in 0..img.height {
        for x_ in 0..img.width {
            if (x.XGetPixel)(image, x_, y) != first {
                uniform = false;
                break 'rows;
            }
        }
    }
    (x.XDestroyImage)(image);
    uniform
}
