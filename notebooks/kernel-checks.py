"""Checks what a notebook user does to the "prune4j" kernel besides running cells: interrupt and restart.

    python3 notebooks/kernel-checks.py TIMEOUT_SECONDS

1. Interrupt: a cell trains LeNet-300-100 on MNIST for many epochs; once it has printed its first epoch, the
   kernel is interrupted (Jupyter's interrupt button: an interrupt_request on the control channel). The cell
   must end within a few seconds with TrainingInterruptedException (training checks the flag before every step),
   and the next cell must train normally in the same kernel: a short seeded training gives a real accuracy.
2. Restart: after a restart the kernel answers again, has forgotten the old session's variables, and the same
   short seeded training gives exactly the same accuracy as after the interrupt (so the interrupt left nothing
   behind that changed training).

Uses the Jupyter data dir from the environment (notebooks/execute sets it). Prints one line per check and
exits 1 if any failed.
"""
import queue
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

IMPORTS = "\n".join(f"import org.prune4j.{p}.*;" for p in ("data", "method", "optim", "report", "train"))

LONG_TRAINING = """
DataSplit data = Datasets.mnist().subset(4_000, 1_000);
Run longRun = SparseTraining.of("lenet300", data)
        .method(Gmp.builder().sparsity(0.9).build())
        .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9))
        .epochs(200).seed(1)
        .progress(Progress.lines(System.out))
        .fit();
"""

SHORT_TRAINING = """
Run shortRun = SparseTraining.of("lenet300", data)
        .method(Gmp.builder().sparsity(0.9).build())
        .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9))
        .epochs(2).seed(1)
        .fit();
shortRun.testAccuracy()
"""


class Cell:
    """One execute_request and what came back for it."""

    def __init__(self, client, code):
        self.client = client
        self.msg_id = client.execute(code, store_history=False)
        self.stdout = ""
        self.result = None
        self.error = None

    def pump(self, timeout):
        """Reads iopub until this cell goes idle or timeout passes; True if it went idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != self.msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                self.stdout += content["text"]
            elif kind == "execute_result":
                self.result = content["data"].get("text/plain")
            elif kind == "error":
                self.error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                return True
        return False

    def wait_for_output(self, text, timeout):
        """Reads iopub until text appears on stdout; True if it did."""
        deadline = time.monotonic() + timeout
        while text not in self.stdout and time.monotonic() < deadline:
            if self.pump(0.5):
                break
        return text in self.stdout


def run_cell(client, code, timeout):
    cell = Cell(client, code)
    if not cell.pump(timeout):
        raise AssertionError(f"cell did not finish in {timeout:.0f} s: {code.strip().splitlines()[0]}")
    return cell


def check_interrupt(manager, client, timeout):
    run_cell(client, IMPORTS, timeout)
    cell = Cell(client, LONG_TRAINING)
    if not cell.wait_for_output("epoch", timeout):
        return f"FAILED: the long training printed no epoch in {timeout:.0f} s (stdout: {cell.stdout[-300:]!r})"
    asked = time.monotonic()
    manager.interrupt_kernel()
    if not cell.pump(30):
        return "FAILED: the training cell did not stop within 30 s of the interrupt"
    stopped = time.monotonic() - asked
    if not cell.error or "TrainingInterruptedException" not in cell.error:
        return f"FAILED: the interrupted cell ended with {cell.error!r}, not TrainingInterruptedException"
    after = run_cell(client, SHORT_TRAINING, timeout)
    if after.error:
        return f"FAILED: the cell after the interrupt failed: {after.error}"
    accuracy = float(after.result)
    if accuracy < 0.8:
        return f"FAILED: the cell after the interrupt trained to only {accuracy:.4f} test accuracy (expected >= 0.8)"
    check_interrupt.accuracy = after.result
    return (f"interrupt: the training cell stopped {stopped:.2f} s after the interrupt ({cell.error.split(': ', 1)[1]}); "
            f"the next cell trained 2 epochs to {accuracy:.4f} test accuracy")


def check_restart(manager, client, timeout):
    before = manager.provisioner.process.pid
    started = time.monotonic()
    manager.restart_kernel(now=False)
    client.wait_for_ready(timeout=timeout)
    after_pid = manager.provisioner.process.pid
    seconds = time.monotonic() - started
    old = run_cell(client, "data", timeout)
    if after_pid == before:
        return "FAILED: the restart kept the same kernel process"
    if not old.error or "cannot find symbol" not in old.error:
        return f"FAILED: the restarted kernel still knows the old session's 'data' ({old.result!r}, {old.error!r})"
    run_cell(client, IMPORTS + "\nDataSplit data = Datasets.mnist().subset(4_000, 1_000);", timeout)
    fresh = run_cell(client, SHORT_TRAINING, timeout)
    expected = getattr(check_interrupt, "accuracy", None)
    if fresh.error or fresh.result != expected:
        return (f"FAILED: after the restart the short training gave {fresh.result!r} (error: {fresh.error!r}), "
                f"after the interrupt {expected!r}")
    return (f"restart: a new kernel process answered in {seconds:.1f} s, had forgotten the old session, and trained "
            f"the same seeded run to the same accuracy as after the interrupt ({fresh.result})")


def main(timeout):
    manager = KernelManager(kernel_name="prune4j")
    manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    failed = 0
    try:
        client.wait_for_ready(timeout=timeout)
        for check in (check_interrupt, check_restart):
            try:
                line = check(manager, client, timeout)
            except Exception as e:  # a check that breaks is a failed check, with its reason
                line = f"FAILED: {check.__name__}: {type(e).__name__}: {e}"
            failed += line.startswith("FAILED")
            print(f"notebooks: kernel {line}", flush=True)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1])))
