#!/usr/bin/env bash
# Builds the optional fused CPU kernels (prune4j_kernels.c) into the classes folder, where
# org.prune4j.kernel.NativeKernels finds them. Called by Maven at process-classes; never fails the build:
# without a C compiler, JNI headers or glibc's libmvec the toolkit runs the same maths through DJL ops.
#   build.sh <java.home> <classes dir>
set -u
java_home="$1"
classes="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
arch="$(uname -m)"
case "$arch" in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; esac
out="$classes/org/prune4j/kernel/native/$os-$arch"
cc="${CC:-cc}"

skip() {
  echo "prune4j: fused CPU kernels not built ($1); PDP runs through DJL ops (slower on small models)" >&2
  rm -rf "$out"
  exit 0
}

[ "$os" = linux ] || skip "only built on Linux"
command -v "$cc" >/dev/null || skip "no C compiler '$cc'"
[ -f "$java_home/include/jni.h" ] || skip "no JNI headers under $java_home/include"
mkdir -p "$out"
objects="$(mktemp -d)"
trap 'rm -rf "$objects"' EXIT
flags=(-O3 -fno-math-errno -fopenmp-simd -fPIC -Wall -I"$java_home/include" -I"$java_home/include/linux")
# The SGD update must round every multiply and add on its own to match the DJL path bit for bit (prune4j_sgd.c),
# so it is compiled without floating-point contraction; the other kernels keep the compiler's default.
if ! "$cc" "${flags[@]}" -c "$here/prune4j_kernels.c" -o "$objects/kernels.o" \
    || ! "$cc" "${flags[@]}" -ffp-contract=off -c "$here/prune4j_sgd.c" -o "$objects/sgd.o" \
    || ! "$cc" "${flags[@]}" -c "$here/prune4j_sparse_step.c" -o "$objects/sparse_step.o" \
    || ! "$cc" "${flags[@]}" -c "$here/prune4j_batch.c" -o "$objects/batch.o" \
    || ! "$cc" -shared "$objects/kernels.o" "$objects/sgd.o" "$objects/sparse_step.o" "$objects/batch.o" -o "$out/libprune4j_kernels.so" -lmvec -lm; then
  skip "the compiler failed"
fi
