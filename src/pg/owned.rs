//! A Rust value owned by a PostgreSQL memory context: a scan's or a write statement's state
//! lives in a Box whose pointer sits in a cell allocated in the query's context, with a reset
//! callback that drops it. So the state is dropped when its node ends, or when the query's
//! memory goes away after an error — whichever comes first, and only once.

use pgrx::pg_sys;

/// Puts `value` in a cell of `cxt` that drops it when `cxt` is reset or deleted; the cell's
/// address goes into the node (`fdw_state`, `ri_FdwState`). `drop` is the caller's
/// `#[pg_guard]` wrapper of [`release::<T>`] (a callback PostgreSQL calls must be guarded).
///
/// # Safety
/// `cxt` is a valid memory context that outlives every use of the returned cell.
pub unsafe fn attach<T>(cxt: pg_sys::MemoryContext, value: T, drop: unsafe extern "C-unwind" fn(*mut std::ffi::c_void)) -> *mut std::ffi::c_void {
    // SAFETY: the caller's contract; both allocations live as long as `cxt`.
    unsafe {
        let cell = pg_sys::MemoryContextAlloc(cxt, std::mem::size_of::<*mut T>()) as *mut *mut T;
        *cell = Box::into_raw(Box::new(value));
        let cb = pg_sys::MemoryContextAlloc(cxt, std::mem::size_of::<pg_sys::MemoryContextCallback>()) as *mut pg_sys::MemoryContextCallback;
        (*cb).func = Some(drop);
        (*cb).arg = cell as *mut std::ffi::c_void;
        pg_sys::MemoryContextRegisterResetCallback(cxt, cb);
        cell as *mut std::ffi::c_void
    }
}

/// The value behind a cell [`attach`] made, unless it was released (or there is no cell).
///
/// # Safety
/// `cell` is NULL or a cell `attach::<T>` made whose context is alive.
pub unsafe fn get<'a, T>(cell: *mut std::ffi::c_void) -> Option<&'a mut T> {
    let cell = cell as *mut *mut T;
    // SAFETY: the caller's contract: NULL, or a cell holding NULL or a live Box<T>.
    unsafe {
        if cell.is_null() || (*cell).is_null() {
            None
        } else {
            Some(&mut **cell)
        }
    }
}

/// Drops the value behind a cell now (the end of its node); the reset callback then finds it
/// gone.
///
/// # Safety
/// `cell` is NULL or a cell `attach::<T>` made whose context is alive.
pub unsafe fn release<T>(cell: *mut std::ffi::c_void) {
    let cell = cell as *mut *mut T;
    // SAFETY: the caller's contract; the Box is taken once (the pointer is nulled).
    unsafe {
        if !cell.is_null() && !(*cell).is_null() {
            drop(Box::from_raw(*cell));
            *cell = std::ptr::null_mut();
        }
    }
}
