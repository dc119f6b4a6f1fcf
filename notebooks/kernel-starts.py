"""Starts the "prune4j" kernel several times and checks that every start answers kernel_info.

    python3 notebooks/kernel-starts.py STARTS TIMEOUT_SECONDS

Guards the kernel's start-up mend (kernel-patch/): without it about one start in five never answers,
so 20 clean starts in a row would happen by chance about once in a hundred runs. Uses the Jupyter data dir
from the environment (notebooks/execute sets it). Prints one summary line; exits 1 if any start hung.
"""
import statistics
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager


def start_once(timeout):
    """Seconds until the kernel answered kernel_info, or None if it did not within timeout."""
    manager = KernelManager(kernel_name="prune4j")
    started = time.monotonic()
    # The kernel logs each start at INFO; one summary line is what a test log needs.
    manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
        return time.monotonic() - started
    except RuntimeError:
        return None
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main(starts, timeout):
    ready = [start_once(timeout) for _ in range(starts)]
    answered = [seconds for seconds in ready if seconds is not None]
    hung = starts - len(answered)
    timing = (f"median {statistics.median(answered):.1f} s, slowest {max(answered):.1f} s"
              if answered else "none answered")
    verdict = "" if hung == 0 else f"; {hung} hung for {timeout:.0f} s (is the kernel's start-up mend on its class path?)"
    print(f"notebooks: kernel starts: {len(answered)} of {starts} answered kernel_info ({timing}){verdict}")
    return 0 if hung == 0 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), float(sys.argv[2])))
