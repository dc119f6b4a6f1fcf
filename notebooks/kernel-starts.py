"""Starts the "prune4j" kernel many times and checks that every start answers kernel_info.

    python3 notebooks/kernel-starts.py STARTS TIMEOUT_SECONDS [BUSY_PROCESSES]

BUSY_PROCESSES CPU-bound processes run beside the starts (default: one per core), because start-up races
show under load: the rapaio kernel this project used before hung on 11 of 216 starts with both cores busy
(its shell loop thread polled before its message handlers were set, and died on a NullPointerException),
and 0 of 100 on a quiet machine. Uses the Jupyter data dir from the environment (notebooks/execute sets it).
Prints one summary line; exits 1 if any start hung.
"""
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager


def start_once(timeout, log_dir, index):
    """Seconds until the kernel answered kernel_info, or None if it did not within timeout.

    The kernel's output goes to a log file that is kept, with a thread dump, only when the start hangs.
    """
    manager = KernelManager(kernel_name="prune4j")
    log_path = os.path.join(log_dir, f"start-{index}.log")
    started = time.monotonic()
    with open(log_path, "w") as log:
        manager.start_kernel(stdout=log, stderr=subprocess.STDOUT)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
        os.remove(log_path)
        return time.monotonic() - started
    except RuntimeError as e:
        with open(log_path, "a") as log:
            log.write(f"\n--- kernel-starts.py: {e}; kernel alive: {manager.is_alive()}\n")
            if manager.is_alive():
                log.flush()
                subprocess.run(["jstack", str(manager.provisioner.process.pid)], stdout=log, stderr=subprocess.STDOUT)
        return None
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def spin(deadline):
    """Keeps one core busy until the deadline (the parent also ends it when the starts are done)."""
    while time.monotonic() < deadline:
        pass


def main(starts, timeout, busy):
    # Bounded in time by itself too: a spinner never outlives the longest the starts can take.
    deadline = time.monotonic() + starts * (timeout + 10)
    spinners = [multiprocessing.Process(target=spin, args=(deadline,), daemon=True) for _ in range(busy)]
    for spinner in spinners:
        spinner.start()
    log_dir = tempfile.mkdtemp(prefix="kernel-starts-")
    try:
        ready = [start_once(timeout, log_dir, index) for index in range(starts)]
    finally:
        for spinner in spinners:
            spinner.terminate()
    answered = [seconds for seconds in ready if seconds is not None]
    hung = starts - len(answered)
    timing = (f"median {statistics.median(answered):.1f} s, slowest {max(answered):.1f} s"
              if answered else "none answered")
    verdict = "" if hung == 0 else f"; {hung} hung for {timeout:.0f} s (kernel logs and thread dumps: {log_dir})"
    print(f"notebooks: kernel starts: {len(answered)} of {starts} answered kernel_info with {busy} busy "
          f"processes beside them ({timing}){verdict}", flush=True)
    return 0 if hung == 0 else 1


if __name__ == "__main__":
    busy_processes = int(sys.argv[3]) if len(sys.argv) > 3 else (os.cpu_count() or 2)
    sys.exit(main(int(sys.argv[1]), float(sys.argv[2]), busy_processes))
