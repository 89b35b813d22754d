#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's Slurm recipe, run for real: a single-node Slurm (Debian's slurm-wlm and munge) is
started as root in a temporary directory, the README's array-job script and submit commands are
taken from the README text (so the two cannot drift) and run with only the data path replaced by
the bundled samples, and the merged run must equal a single run over the same images.

Exit codes: 0 passed, 1 failed, 77 skipped (not root, Slurm or munge missing, or the daemons
cannot start here; the reason and the daemons' logs are printed). With FEATSCALE_REQUIRE_CLUSTER=1
(set by CI) a skip is a failure.

Usage: slurm_recipe_test.py FEATSCALE_CLI README SAMPLES_DIR WEIGHTS_FILE WORK_DIR

WEIGHTS_FILE stands in for the README's vgg16_reducedfc.pth (ssd.pytorch's backbone file; the
fixture of tests/analysis/weights/pytorch has its layout and serialization, with random values).
"""
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CLI, README, SAMPLES, WEIGHTS, WORK = (os.path.abspath(a) for a in sys.argv[1:6])
SKIP = 77
# What the test replaces in the README's commands: the dataset path only.
README_DATA = "/data/coco/val2017"
# The jobs' budget: 16 tasks one after another (8 CPUs each on an 8-CPU node) took 80-110 s on
# 2 busy cores. Every wait has its own limit, all together below ctest's TIMEOUT, which kills this
# script without letting it stop the daemons.
JOBS_TIMEOUT = 480
# Files a merge must reproduce byte for byte, and run.json keys that name the run itself.
SAME_BYTES = ["histograms.csv", "histograms.json", "summary.csv"]
RUN_OWN_KEYS = {"created", "shard", "merged_from"}


class Skip(Exception):
    pass


def log(*args):
    print(*args, flush=True)


def readme_blocks():
    """The fenced sh blocks of the README's Slurm recipe: the array-job script and the submit commands."""
    text = open(README, encoding="utf-8").read()
    at = text.find("Slurm array job")
    if at < 0:
        raise AssertionError(f"{README}: no 'Slurm array job' recipe")
    blocks = re.findall(r"```sh\n(.*?)```", text[at:], re.S)
    if len(blocks) < 2:
        raise AssertionError(f"{README}: the Slurm recipe needs a job-script block and a submit block")
    return blocks[0], blocks[1]


def sbatch_options(script):
    """#SBATCH options of a job script as {name: value}."""
    opts = {}
    for line in script.splitlines():
        if line.startswith("#SBATCH"):
            for word in shlex.split(line[len("#SBATCH"):]):
                name, _, value = word.partition("=")
                opts[name] = value
    return opts


def mebibytes(mem):
    units = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}
    m = re.fullmatch(r"(\d+)([KMGT]?)", mem.upper())
    return int(int(m.group(1)) * units[m.group(2) or "M"])


def free_ports(n):
    """n distinct ports that are free now, below the ephemeral range, where the kernel does not
    hand them to outgoing connections (Slurm's own included) before the daemons bind them."""
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    ports = []
    for port in random.sample(range(max(1024, low - 12000), low), 200):
        with socket.socket() as s:
            try:
                s.bind(("", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == n:
            return ports
    raise Skip("no free TCP ports for slurmctld and slurmd")


class Cluster:
    """munged, slurmctld and slurmd for one node ("localhost"), everything under one temporary
    directory; the system's /etc/munge, /etc/slurm and services are not touched."""

    def __init__(self, cpus, mem_mb):
        # Short path: the munge socket's path must fit a sockaddr_un.
        self.dir = tempfile.mkdtemp(prefix="fs-slurm-")
        os.chmod(self.dir, 0o711)  # munged: clients must be able to reach its socket
        self.procs = []
        self.logs = {}
        self.conf = os.path.join(self.dir, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        self.cpus, self.mem_mb = cpus, mem_mb

    def path(self, name):
        return os.path.join(self.dir, name)

    def spawn(self, name, argv):
        out = open(self.path(name + ".log"), "w")
        self.logs[name] = self.path(name + ".log")
        # A process group of its own, so stopping it also stops whatever it started.
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=self.env, start_new_session=True)
        out.close()
        self.procs.append((name, p))
        return p

    def start(self):
        self.start_munge()
        self.write_conf()
        for d in ["state", "spool"]:
            os.makedirs(self.path(d))
        self.spawn("slurmctld", ["slurmctld", "-D", "-c", "-f", self.conf])
        self.spawn("slurmd", ["slurmd", "-D", "-N", "localhost", "-f", self.conf])
        self.wait_idle(60)

    def start_munge(self):
        key = self.path("munge.key")
        subprocess.run(["mungekey", "--create", "--keyfile", key], check=True, capture_output=True)
        self.socket = self.path("munge.socket")
        self.spawn("munged", ["munged", "--foreground", "--key-file", key, "--socket", self.socket,
                              "--pid-file", self.path("munged.pid"), "--log-file", "/dev/null",
                              "--seed-file", self.path("munged.seed")])
        deadline = time.time() + 20
        while True:
            p = subprocess.run(["munge", "--socket", self.socket, "-n"], capture_output=True)
            if p.returncode == 0:
                return
            if time.time() > deadline or self.procs[-1][1].poll() is not None:
                raise Skip("munged did not start: " + p.stderr.decode(errors="replace").strip())
            time.sleep(0.2)

    def write_conf(self):
        with open(self.path("plugstack.conf"), "w"):
            pass
        ctld_port, slurmd_port = free_ports(2)
        lines = [
            "ClusterName=featscale",
            "SlurmctldHost=localhost",
            f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={slurmd_port}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.socket}",
            f"StateSaveLocation={self.path('state')}",
            f"SlurmdSpoolDir={self.path('spool')}",
            f"SlurmctldPidFile={self.path('slurmctld.pid')}",
            f"SlurmdPidFile={self.path('slurmd.pid')}",
            f"PlugStackConfig={self.path('plugstack.conf')}",
            # no cgroups (containers rarely allow them) and no accounting database
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "MpiDefault=none",
            "SchedulerType=sched/builtin",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core_Memory",
            # a job whose dependency failed is cancelled instead of pending forever
            "DependencyParameters=kill_invalid_depend",
            "ReturnToService=2",
            "MailProg=/bin/true",
            # The node offers what the README's script requests even on a smaller machine
            # (config_overrides: slurmd reports the configured CPUs and memory, not the hardware's),
            # so the script runs with its resource requests unchanged; the tasks then run one
            # after another, oversubscribing the real cores.
            "SlurmdParameters=config_overrides",
            f"NodeName=localhost NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={self.mem_mb} State=UNKNOWN",
            "PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
        ]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def wait_idle(self, timeout):
        deadline = time.time() + timeout
        state = ""
        while time.time() < deadline:
            for name, p in self.procs:
                if p.poll() is not None:
                    raise Skip(f"{name} exited with status {p.returncode} while starting")
            p = subprocess.run(["sinfo", "-h", "-n", "localhost", "-o", "%T"], capture_output=True, text=True,
                               env=self.env)
            state = p.stdout.strip()
            if state == "idle":
                return
            time.sleep(0.5)
        raise Skip(f"the node did not become idle within {timeout} s (state: {state or 'unknown'})")

    def print_logs(self):
        for name, path in self.logs.items():
            if os.path.exists(path):
                log(f"----- {name}: {path}")
                log(open(path, errors="replace").read().rstrip())

    def stop(self):
        """Cancels what still runs, stops the daemons, then kills whatever they started that is left
        (slurmstepd and job processes leave the daemons' process groups but carry this SLURM_CONF)."""
        slurmctld = dict(self.procs).get("slurmctld")
        if slurmctld and slurmctld.poll() is None:
            subprocess.run(["scancel", "--user=root"], env=self.env, capture_output=True, timeout=30)
        for name, p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name, p in reversed(self.procs):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        for pid in self.started_processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def started_processes(self):
        mark = ("SLURM_CONF=" + self.conf).encode()
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    if mark in open(f"/proc/{entry}/environ", "rb").read().split(b"\0"):
                        pids.append(int(entry))
                except OSError:
                    pass
        return pids


def squeue_jobs(cluster):
    p = subprocess.run(["squeue", "-h", "-o", "%i %T %r"], capture_output=True, text=True, env=cluster.env)
    if p.returncode != 0:
        raise AssertionError("squeue failed: " + p.stderr)
    return [line for line in p.stdout.splitlines() if line.strip()]


def job_records(cluster, job):
    """scontrol's records of a job (one per array task), as dicts; kept for MinJobAge after the end."""
    p = subprocess.run(["scontrol", "-o", "show", "job", job], capture_output=True, text=True, env=cluster.env)
    if p.returncode != 0:
        raise AssertionError(f"scontrol show job {job}: {p.stderr}")
    return [dict(re.findall(r"(\w+)=(\S*)", line)) for line in p.stdout.splitlines() if line.strip()]


def analyze_args(script, cpus):
    """The arguments of the job script's featscale-cli analyze command, without --shard and --out,
    and with the job's CPU count for $SLURM_CPUS_PER_TASK: the same options for the single run."""
    command = script.replace("\\\n", " ")
    line = next(l for l in command.splitlines() if l.strip().startswith("featscale-cli analyze"))
    words = shlex.split(line.replace("$SLURM_CPUS_PER_TASK", str(cpus)))[2:]
    args, i = [], 0
    while i < len(words):
        if words[i] in ("--shard", "--out"):
            i += 2
            continue
        args.append(words[i])
        i += 1
    return args


def run_recipe(cluster, script, submit, cpus, tasks_expected):
    submit_dir = os.path.join(WORK, "submit")
    os.makedirs(submit_dir)
    # The README's weight file name, in the submit directory the jobs start in.
    os.symlink(WEIGHTS, os.path.join(submit_dir, "vgg16_reducedfc.pth"))
    with open(os.path.join(submit_dir, "shard.sh"), "w") as f:
        f.write(script)
    log("----- shard.sh\n" + script + "----- submit\n" + submit.rstrip())
    env = dict(cluster.env, PATH=os.path.dirname(CLI) + os.pathsep + os.environ.get("PATH", ""))
    # The array job's id, which the README keeps in $jobid, is echoed for the test.
    p = subprocess.run(["bash", "-euo", "pipefail", "-c", submit + 'echo "array job $jobid"\n'], cwd=submit_dir,
                       capture_output=True, text=True, env=env, timeout=60)
    log(p.stdout + p.stderr)
    if p.returncode != 0:
        raise AssertionError(f"the README's submit commands failed with status {p.returncode}")
    array_job = re.search(r"^array job (\d+)$", p.stdout, re.M)
    merge_job = re.search(r"^Submitted batch job (\d+)$", p.stdout, re.M)
    if not array_job or not merge_job:
        raise AssertionError("expected the ids of the array job and of the merge job")
    array_job, merge_job = array_job.group(1), merge_job.group(1)

    start = time.time()
    while squeue_jobs(cluster):
        if time.time() - start > JOBS_TIMEOUT:
            raise AssertionError(f"jobs not finished after {JOBS_TIMEOUT} s:\n" + "\n".join(squeue_jobs(cluster)))
        time.sleep(1)
    log(f"jobs finished in {time.time() - start:.0f} s")

    tasks = job_records(cluster, array_job)
    merge = job_records(cluster, merge_job)
    failed = [t for t in tasks + merge if t.get("JobState") != "COMPLETED" or t.get("ExitCode") != "0:0"]
    tasks.sort(key=lambda t: int(t.get("ArrayTaskId", -1)))
    for t in tasks + merge:
        log(f"job {t.get('JobId')} task {t.get('ArrayTaskId', '-')}: {t.get('JobState')} exit {t.get('ExitCode')}, "
            f"{t.get('StartTime')} .. {t.get('EndTime')}")
    if failed:
        for t in failed:
            out = t.get("StdOut", "")
            if os.path.isfile(out):
                log(f"----- {out}\n" + open(out, errors="replace").read())
        raise AssertionError(f"{len(failed)} job(s) did not complete")
    ran = [int(t.get("ArrayTaskId", -1)) for t in tasks]
    if ran != tasks_expected:
        raise AssertionError(f"array tasks: expected {tasks_expected}, got {ran}")

    merged = os.path.join(submit_dir, "runs", "all")
    single = os.path.join(submit_dir, "single")
    args = analyze_args(script, cpus)
    p = subprocess.run([CLI, "analyze", *args, "--out", single], cwd=submit_dir, capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0:
        raise AssertionError(f"single run {args}: exit {p.returncode}\n{p.stderr}")
    return merged, single


def compare(merged, single, n_shards):
    def read(d, name):
        with open(os.path.join(d, name), "rb") as f:
            return f.read()
    problems = []
    for name in SAME_BYTES:
        if read(merged, name) != read(single, name):
            problems.append(f"{name} differs")
    a, b = (json.loads(read(d, "summary.json")) for d in (merged, single))
    for key in ["images", "aggregate"]:
        if a[key] != b[key]:
            problems.append(f"summary.json: {key} differs")
    a, b = (json.loads(read(d, "run.json")) for d in (merged, single))
    for key in sorted((set(a) | set(b)) - RUN_OWN_KEYS):
        if a.get(key) != b.get(key):
            problems.append(f"run.json: {key} differs ({a.get(key)!r} vs {b.get(key)!r})")
    if len(a.get("merged_from", [])) != n_shards:
        problems.append(f"run.json: merged_from lists {len(a.get('merged_from', []))} runs, expected {n_shards}")
    images = [n for n in os.listdir(SAMPLES) if n.lower().endswith((".jpg", ".png"))]
    if len(json.loads(read(single, "summary.json"))["images"]) != len(images):
        problems.append("the single run did not analyse every sample")
    if problems:
        raise AssertionError("merged run != single run: " + "; ".join(problems))


def main():
    if os.geteuid() != 0:
        raise Skip("needs root to start slurmctld, slurmd and munged (CI runs as root)")
    missing = [t for t in ["munged", "mungekey", "munge", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo",
                           "scontrol"] if shutil.which(t) is None]
    if missing:
        raise Skip("not installed: " + ", ".join(missing) + " (Debian: apt-get install slurm-wlm munge)")
    if not os.path.isfile(WEIGHTS):
        raise AssertionError(f"{WEIGHTS}: missing (made by the weights_pytorch_fixtures_layouts test)")

    script, submit = readme_blocks()
    if README_DATA not in script:
        raise AssertionError(f"the README's job script no longer reads {README_DATA}: update the test")
    script = script.replace(README_DATA, SAMPLES)
    opts = sbatch_options(script)
    cpus = int(opts.get("--cpus-per-task", "1"))
    mem_mb = mebibytes(opts.get("--mem", "1024"))
    first, last = map(int, re.fullmatch(r"(\d+)-(\d+)", opts["--array"]).groups())

    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    cluster = Cluster(max(cpus, os.cpu_count() or 1), mem_mb)
    started = time.time()
    try:
        try:
            cluster.start()
        except Skip:
            cluster.print_logs()
            raise
        log(f"single-node Slurm up in {time.time() - started:.1f} s ({cluster.dir})")
        try:
            merged, single = run_recipe(cluster, script, submit, cpus, list(range(first, last + 1)))
            compare(merged, single, last - first + 1)
        except BaseException:
            cluster.print_logs()
            raise
    finally:
        cluster.stop()
    log(f"merged run == single run ({last - first + 1} shards); {time.time() - started:.0f} s in all")


if __name__ == "__main__":
    try:
        main()
    except Skip as e:
        log(f"SKIPPED: {e}")
        if os.environ.get("FEATSCALE_REQUIRE_CLUSTER") == "1":
            log("FEATSCALE_REQUIRE_CLUSTER=1: a skip is a failure here")
            sys.exit(1)
        sys.exit(SKIP)
    except AssertionError as e:
        log(f"FAILED: {e}")
        sys.exit(1)
