;; The engine's WebAssembly SIMD128 kernels (the `wasm` backend). Hand-written WAT, assembled by
;; `npm run wasm --workspace @descent/engine` (scripts/build-wasm.mjs, wabt) into the base64 in
;; ./binary.ts. Only plain SIMD128 instructions: no relaxed SIMD, no fused multiply-add, so every
;; machine computes the same bits.
;;
;; Memory: the JavaScript side (../wasm.ts) owns the layout. Bytes [0, 256) are a scratch tile;
;; the packing buffers and the operands live above it at offsets JavaScript passes in.
;;
;; gemm (C = op(A)·op(B), + C when `acc`): the packed algorithm of ../gemm.ts (GotoBLAS/BLIS).
;; A K-block of op(B) is packed into panels of 8 (f32) or 4 (f64) columns and a block of op(A)
;; into panels of 4 rows, both p-major, then a 4×8 (f32) or 4×4 (f64) register tile of eight
;; v128 accumulators runs over them. Each C element is summed over p in order, within K-blocks
;; of 256, and added to C after each block, exactly like the JavaScript kernel: so float64
;; results are bit-identical between the backends. float32 sums in float32 (as PyTorch and
;; XNNPACK do); JavaScript sums float32 in float64, so float32 results differ in the last bits.
(module
  (memory (export "memory") 1)

  ;; ------------------------------------------------------------------------------------------
  ;; Packing. Line l (a row of op(A) or a column of op(B)), step p of a block is the element at
  ;; src + size·(l·sl + p·sp). Panels of w lines: for each p, w consecutive elements; lines past
  ;; `lines` are zero. dst receives ceil(lines / w) panels of kc·w elements.

  (func $pack32 (param $src i32) (param $sl i32) (param $sp i32) (param $lines i32)
                (param $kc i32) (param $w i32) (param $dst i32)
    (local $l0 i32) (local $n i32) (local $p i32) (local $t i32) (local $a i32) (local $row i32)
    ;; byte strides
    (local.set $sl (i32.shl (local.get $sl) (i32.const 2)))
    (local.set $sp (i32.shl (local.get $sp) (i32.const 2)))
    (block $done_l
      (loop $next_l
        (br_if $done_l (i32.ge_s (local.get $l0) (local.get $lines)))
        (local.set $n (i32.sub (local.get $lines) (local.get $l0)))
        (if (i32.gt_s (local.get $n) (local.get $w)) (then (local.set $n (local.get $w))))
        ;; $row: address of line l0 at p = 0
        (local.set $row (i32.add (local.get $src) (i32.mul (local.get $l0) (local.get $sl))))
        (local.set $p (i32.const 0))
        (if (i32.and (i32.eq (local.get $n) (local.get $w)) (i32.eq (local.get $sl) (i32.const 4)))
          (then
            ;; Full panel of contiguous lines: copy w elements per p with vector moves.
            (if (i32.eq (local.get $w) (i32.const 8))
              (then
                (loop $p8
                  (local.set $a (i32.add (local.get $row) (i32.mul (local.get $p) (local.get $sp))))
                  (v128.store (local.get $dst) (v128.load (local.get $a)))
                  (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $a)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                  (br_if $p8 (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                       (local.get $kc)))))
              (else
                (loop $p4
                  (local.set $a (i32.add (local.get $row) (i32.mul (local.get $p) (local.get $sp))))
                  (v128.store (local.get $dst) (v128.load (local.get $a)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                  (br_if $p4 (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                       (local.get $kc)))))))
          (else
            ;; Strided lines (or a partial panel): one element at a time, zero past the end.
            (loop $ps
              (local.set $a (i32.add (local.get $row) (i32.mul (local.get $p) (local.get $sp))))
              (local.set $t (i32.const 0))
              (loop $ts
                (if (i32.lt_s (local.get $t) (local.get $n))
                  (then
                    (f32.store (local.get $dst) (f32.load (local.get $a)))
                    (local.set $a (i32.add (local.get $a) (local.get $sl))))
                  (else (f32.store (local.get $dst) (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (br_if $ts (i32.lt_s (local.tee $t (i32.add (local.get $t) (i32.const 1)))
                                     (local.get $w))))
              (br_if $ps (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                   (local.get $kc))))))
        (local.set $l0 (i32.add (local.get $l0) (local.get $w)))
        (br $next_l))))

  ;; Same for 8-byte elements. w = 4 for both A and B panels (32 bytes per p).
  (func $pack64 (param $src i32) (param $sl i32) (param $sp i32) (param $lines i32)
                (param $kc i32) (param $dst i32)
    (local $l0 i32) (local $n i32) (local $p i32) (local $t i32) (local $a i32) (local $row i32)
    (local.set $sl (i32.shl (local.get $sl) (i32.const 3)))
    (local.set $sp (i32.shl (local.get $sp) (i32.const 3)))
    (block $done_l
      (loop $next_l
        (br_if $done_l (i32.ge_s (local.get $l0) (local.get $lines)))
        (local.set $n (i32.sub (local.get $lines) (local.get $l0)))
        (if (i32.gt_s (local.get $n) (i32.const 4)) (then (local.set $n (i32.const 4))))
        (local.set $row (i32.add (local.get $src) (i32.mul (local.get $l0) (local.get $sl))))
        (local.set $p (i32.const 0))
        (if (i32.and (i32.eq (local.get $n) (i32.const 4)) (i32.eq (local.get $sl) (i32.const 8)))
          (then
            (loop $p4
              (local.set $a (i32.add (local.get $row) (i32.mul (local.get $p) (local.get $sp))))
              (v128.store (local.get $dst) (v128.load (local.get $a)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $a)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (br_if $p4 (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                   (local.get $kc)))))
          (else
            (loop $ps
              (local.set $a (i32.add (local.get $row) (i32.mul (local.get $p) (local.get $sp))))
              (local.set $t (i32.const 0))
              (loop $ts
                (if (i32.lt_s (local.get $t) (local.get $n))
                  (then
                    (f64.store (local.get $dst) (f64.load (local.get $a)))
                    (local.set $a (i32.add (local.get $a) (local.get $sl))))
                  (else (f64.store (local.get $dst) (f64.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (br_if $ts (i32.lt_s (local.tee $t (i32.add (local.get $t) (i32.const 1)))
                                     (i32.const 4))))
              (br_if $ps (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                   (local.get $kc))))))
        (local.set $l0 (i32.add (local.get $l0) (i32.const 4)))
        (br $next_l))))

  ;; ------------------------------------------------------------------------------------------
  ;; Micro-kernels. tile(4 rows × 2 vectors) = Σ_p a[p]·b[p] over the packed panels pa (4 values
  ;; per p) and pb (2 vectors per p), kc ≥ 1; then C (ldc bytes per row) = tile, or C + tile
  ;; when `add`. A partial tile (rows < 4 or cols < full width) goes through the scratch tile at
  ;; address 0 and only its valid part is stored.

  (func $kernel_f32 (param $kc i32) (param $pa i32) (param $pb i32) (param $pc i32)
                    (param $ldc i32) (param $rows i32) (param $cols i32) (param $add i32)
    (local $end i32) (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $r i32) (local $j i32) (local $src i32) (local $dst i32)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 4))))
    (loop $step
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load32_splat (local.get $pa)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $step (i32.lt_u (local.tee $pa (i32.add (local.get $pa) (i32.const 16)))
                             (local.get $end))))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
      (then
        (if (local.get $add)
          (then
            (local.set $c00 (f32x4.add (v128.load (local.get $pc)) (local.get $c00)))
            (local.set $c01 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c01)))))
        (v128.store (local.get $pc) (local.get $c00))
        (v128.store offset=16 (local.get $pc) (local.get $c01))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c10 (f32x4.add (v128.load (local.get $pc)) (local.get $c10)))
            (local.set $c11 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c11)))))
        (v128.store (local.get $pc) (local.get $c10))
        (v128.store offset=16 (local.get $pc) (local.get $c11))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c20 (f32x4.add (v128.load (local.get $pc)) (local.get $c20)))
            (local.set $c21 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c21)))))
        (v128.store (local.get $pc) (local.get $c20))
        (v128.store offset=16 (local.get $pc) (local.get $c21))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c30 (f32x4.add (v128.load (local.get $pc)) (local.get $c30)))
            (local.set $c31 (f32x4.add (v128.load offset=16 (local.get $pc)) (local.get $c31)))))
        (v128.store (local.get $pc) (local.get $c30))
        (v128.store offset=16 (local.get $pc) (local.get $c31))
        (return)))
    ;; Partial tile: spill to the scratch tile (4 rows of 32 bytes), then store element-wise.
    (v128.store offset=0 (i32.const 0) (local.get $c00))
    (v128.store offset=16 (i32.const 0) (local.get $c01))
    (v128.store offset=32 (i32.const 0) (local.get $c10))
    (v128.store offset=48 (i32.const 0) (local.get $c11))
    (v128.store offset=64 (i32.const 0) (local.get $c20))
    (v128.store offset=80 (i32.const 0) (local.get $c21))
    (v128.store offset=96 (i32.const 0) (local.get $c30))
    (v128.store offset=112 (i32.const 0) (local.get $c31))
    (loop $rowl
      (local.set $src (i32.shl (local.get $r) (i32.const 5)))
      (local.set $dst (local.get $pc))
      (local.set $j (i32.const 0))
      (loop $coll
        (if (local.get $add)
          (then (f32.store (local.get $dst)
                  (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src)))))
          (else (f32.store (local.get $dst) (f32.load (local.get $src)))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br_if $coll (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                               (local.get $cols))))
      (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
      (br_if $rowl (i32.lt_s (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                             (local.get $rows)))))

  (func $kernel_f64 (param $kc i32) (param $pa i32) (param $pb i32) (param $pc i32)
                    (param $ldc i32) (param $rows i32) (param $cols i32) (param $add i32)
    (local $end i32) (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $r i32) (local $j i32) (local $src i32) (local $dst i32)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $step
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load64_splat (local.get $pa)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $step (i32.lt_u (local.tee $pa (i32.add (local.get $pa) (i32.const 32)))
                             (local.get $end))))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 4)))
      (then
        (if (local.get $add)
          (then
            (local.set $c00 (f64x2.add (v128.load (local.get $pc)) (local.get $c00)))
            (local.set $c01 (f64x2.add (v128.load offset=16 (local.get $pc)) (local.get $c01)))))
        (v128.store (local.get $pc) (local.get $c00))
        (v128.store offset=16 (local.get $pc) (local.get $c01))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c10 (f64x2.add (v128.load (local.get $pc)) (local.get $c10)))
            (local.set $c11 (f64x2.add (v128.load offset=16 (local.get $pc)) (local.get $c11)))))
        (v128.store (local.get $pc) (local.get $c10))
        (v128.store offset=16 (local.get $pc) (local.get $c11))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c20 (f64x2.add (v128.load (local.get $pc)) (local.get $c20)))
            (local.set $c21 (f64x2.add (v128.load offset=16 (local.get $pc)) (local.get $c21)))))
        (v128.store (local.get $pc) (local.get $c20))
        (v128.store offset=16 (local.get $pc) (local.get $c21))
        (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
        (if (local.get $add)
          (then
            (local.set $c30 (f64x2.add (v128.load (local.get $pc)) (local.get $c30)))
            (local.set $c31 (f64x2.add (v128.load offset=16 (local.get $pc)) (local.get $c31)))))
        (v128.store (local.get $pc) (local.get $c30))
        (v128.store offset=16 (local.get $pc) (local.get $c31))
        (return)))
    (v128.store offset=0 (i32.const 0) (local.get $c00))
    (v128.store offset=16 (i32.const 0) (local.get $c01))
    (v128.store offset=32 (i32.const 0) (local.get $c10))
    (v128.store offset=48 (i32.const 0) (local.get $c11))
    (v128.store offset=64 (i32.const 0) (local.get $c20))
    (v128.store offset=80 (i32.const 0) (local.get $c21))
    (v128.store offset=96 (i32.const 0) (local.get $c30))
    (v128.store offset=112 (i32.const 0) (local.get $c31))
    (loop $rowl
      (local.set $src (i32.shl (local.get $r) (i32.const 5)))
      (local.set $dst (local.get $pc))
      (local.set $j (i32.const 0))
      (loop $coll
        (if (local.get $add)
          (then (f64.store (local.get $dst)
                  (f64.add (f64.load (local.get $dst)) (f64.load (local.get $src)))))
          (else (f64.store (local.get $dst) (f64.load (local.get $src)))))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br_if $coll (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                               (local.get $cols))))
      (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
      (br_if $rowl (i32.lt_s (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                             (local.get $rows)))))

  ;; ------------------------------------------------------------------------------------------
  ;; gemm drivers. A, B, C at byte addresses pA, pB, pC (row-major; with transA A is K×M, with
  ;; transB B is N×K); packing buffers at pPA (MC·KC elements) and pPB (KC·NC elements).
  ;; Blocking: KC = 256 (as the JavaScript kernel, so the K-blocks agree), MC = 128, NC = 1024.

  (func (export "gemm_f32") (param $transA i32) (param $transB i32) (param $M i32) (param $N i32)
                            (param $K i32) (param $pA i32) (param $pB i32) (param $pC i32)
                            (param $acc i32) (param $pPA i32) (param $pPB i32)
    (local $sAi i32) (local $sAp i32) (local $sBp i32) (local $sBj i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $add i32) (local $cols i32) (local $rows i32)
    (if (local.get $transA)
      (then (local.set $sAi (i32.const 1)) (local.set $sAp (local.get $M)))
      (else (local.set $sAi (local.get $K)) (local.set $sAp (i32.const 1))))
    (if (local.get $transB)
      (then (local.set $sBp (i32.const 1)) (local.set $sBj (local.get $K)))
      (else (local.set $sBp (local.get $N)) (local.set $sBj (i32.const 1))))
    (loop $jcl
      (local.set $nc (i32.sub (local.get $N) (local.get $jc)))
      (if (i32.gt_s (local.get $nc) (i32.const 1024)) (then (local.set $nc (i32.const 1024))))
      (local.set $pc (i32.const 0))
      (loop $pcl
        (local.set $kc (i32.sub (local.get $K) (local.get $pc)))
        (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
        (local.set $add (i32.or (local.get $acc) (i32.gt_s (local.get $pc) (i32.const 0))))
        (call $pack32
          (i32.add (local.get $pB) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $sBp))
                                                     (i32.mul (local.get $jc) (local.get $sBj)))
                                            (i32.const 2)))
          (local.get $sBj) (local.get $sBp) (local.get $nc) (local.get $kc) (i32.const 8)
          (local.get $pPB))
        (local.set $ic (i32.const 0))
        (loop $icl
          (local.set $mc (i32.sub (local.get $M) (local.get $ic)))
          (if (i32.gt_s (local.get $mc) (i32.const 128)) (then (local.set $mc (i32.const 128))))
          (call $pack32
            (i32.add (local.get $pA) (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $sAi))
                                                       (i32.mul (local.get $pc) (local.get $sAp)))
                                              (i32.const 2)))
            (local.get $sAi) (local.get $sAp) (local.get $mc) (local.get $kc) (i32.const 4)
            (local.get $pPA))
          (local.set $jr (i32.const 0))
          (loop $jrl
            (local.set $cols (i32.sub (local.get $nc) (local.get $jr)))
            (if (i32.gt_s (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
            (local.set $ir (i32.const 0))
            (loop $irl
              (local.set $rows (i32.sub (local.get $mc) (local.get $ir)))
              (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
              (call $kernel_f32 (local.get $kc)
                ;; panel ir/4 of A starts ir·kc elements in; panel jr/8 of B, jr·kc elements in
                (i32.add (local.get $pPA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                (i32.add (local.get $pPB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                (i32.add (local.get $pC)
                  (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $N))
                                    (i32.add (local.get $jc) (local.get $jr)))
                           (i32.const 2)))
                (i32.shl (local.get $N) (i32.const 2))
                (local.get $rows) (local.get $cols) (local.get $add))
              (br_if $irl (i32.lt_s (local.tee $ir (i32.add (local.get $ir) (i32.const 4)))
                                    (local.get $mc))))
            (br_if $jrl (i32.lt_s (local.tee $jr (i32.add (local.get $jr) (i32.const 8)))
                                  (local.get $nc))))
          (br_if $icl (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (i32.const 128)))
                                (local.get $M))))
        (br_if $pcl (i32.lt_s (local.tee $pc (i32.add (local.get $pc) (i32.const 256)))
                              (local.get $K))))
      (br_if $jcl (i32.lt_s (local.tee $jc (i32.add (local.get $jc) (i32.const 1024)))
                            (local.get $N)))))

  (func (export "gemm_f64") (param $transA i32) (param $transB i32) (param $M i32) (param $N i32)
                            (param $K i32) (param $pA i32) (param $pB i32) (param $pC i32)
                            (param $acc i32) (param $pPA i32) (param $pPB i32)
    (local $sAi i32) (local $sAp i32) (local $sBp i32) (local $sBj i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $add i32) (local $cols i32) (local $rows i32)
    (if (local.get $transA)
      (then (local.set $sAi (i32.const 1)) (local.set $sAp (local.get $M)))
      (else (local.set $sAi (local.get $K)) (local.set $sAp (i32.const 1))))
    (if (local.get $transB)
      (then (local.set $sBp (i32.const 1)) (local.set $sBj (local.get $K)))
      (else (local.set $sBp (local.get $N)) (local.set $sBj (i32.const 1))))
    (loop $jcl
      (local.set $nc (i32.sub (local.get $N) (local.get $jc)))
      (if (i32.gt_s (local.get $nc) (i32.const 1024)) (then (local.set $nc (i32.const 1024))))
      (local.set $pc (i32.const 0))
      (loop $pcl
        (local.set $kc (i32.sub (local.get $K) (local.get $pc)))
        (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
        (local.set $add (i32.or (local.get $acc) (i32.gt_s (local.get $pc) (i32.const 0))))
        (call $pack64
          (i32.add (local.get $pB) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $sBp))
                                                     (i32.mul (local.get $jc) (local.get $sBj)))
                                            (i32.const 3)))
          (local.get $sBj) (local.get $sBp) (local.get $nc) (local.get $kc) (local.get $pPB))
        (local.set $ic (i32.const 0))
        (loop $icl
          (local.set $mc (i32.sub (local.get $M) (local.get $ic)))
          (if (i32.gt_s (local.get $mc) (i32.const 128)) (then (local.set $mc (i32.const 128))))
          (call $pack64
            (i32.add (local.get $pA) (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $sAi))
                                                       (i32.mul (local.get $pc) (local.get $sAp)))
                                              (i32.const 3)))
            (local.get $sAi) (local.get $sAp) (local.get $mc) (local.get $kc) (local.get $pPA))
          (local.set $jr (i32.const 0))
          (loop $jrl
            (local.set $cols (i32.sub (local.get $nc) (local.get $jr)))
            (if (i32.gt_s (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
            (local.set $ir (i32.const 0))
            (loop $irl
              (local.set $rows (i32.sub (local.get $mc) (local.get $ir)))
              (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
              (call $kernel_f64 (local.get $kc)
                (i32.add (local.get $pPA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3)))
                (i32.add (local.get $pPB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                (i32.add (local.get $pC)
                  (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $N))
                                    (i32.add (local.get $jc) (local.get $jr)))
                           (i32.const 3)))
                (i32.shl (local.get $N) (i32.const 3))
                (local.get $rows) (local.get $cols) (local.get $add))
              (br_if $irl (i32.lt_s (local.tee $ir (i32.add (local.get $ir) (i32.const 4)))
                                    (local.get $mc))))
            (br_if $jrl (i32.lt_s (local.tee $jr (i32.add (local.get $jr) (i32.const 4)))
                                  (local.get $nc))))
          (br_if $icl (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (i32.const 128)))
                                (local.get $M))))
        (br_if $pcl (i32.lt_s (local.tee $pc (i32.add (local.get $pc) (i32.const 256)))
                              (local.get $K))))
      (br_if $jcl (i32.lt_s (local.tee $jc (i32.add (local.get $jc) (i32.const 1024)))
                            (local.get $N)))))

  ;; ------------------------------------------------------------------------------------------
  ;; Elementwise: relu and its backward, n elements at pIn/pG/pX → pOut, four (f32) or two (f64)
  ;; lanes at a time, then the tail one by one. Bit for bit the JavaScript loops:
  ;;   relu:      x < 0 ? 0 : x        (NaN and -0 pass through)
  ;;   reluGrad:  x <= 0 ? g·0 : g     (g·0 keeps the sign of g; ±Inf and NaN give NaN)

  (func (export "relu_f32") (param $pIn i32) (param $pOut i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $pIn) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $pIn) (local.get $end)))
        (local.set $x (v128.load (local.get $pIn)))
        (v128.store (local.get $pOut)
          (v128.andnot (local.get $x) (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0))))
        (local.set $pIn (i32.add (local.get $pIn) (i32.const 16)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done1
      (loop $one
        (br_if $done1 (i32.ge_u (local.get $pIn) (local.get $end)))
        (f32.store (local.get $pOut)
          (select (f32.const 0) (f32.load (local.get $pIn))
                  (f32.lt (f32.load (local.get $pIn)) (f32.const 0))))
        (local.set $pIn (i32.add (local.get $pIn) (i32.const 4)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 4)))
        (br $one))))

  (func (export "relu_f64") (param $pIn i32) (param $pOut i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $pIn) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $pIn) (local.get $end)))
        (local.set $x (v128.load (local.get $pIn)))
        (v128.store (local.get $pOut)
          (v128.andnot (local.get $x) (f64x2.lt (local.get $x) (v128.const f64x2 0 0))))
        (local.set $pIn (i32.add (local.get $pIn) (i32.const 16)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 16)))
        (br $vec)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f64.store (local.get $pOut)
          (select (f64.const 0) (f64.load (local.get $pIn))
                  (f64.lt (f64.load (local.get $pIn)) (f64.const 0)))))))

  (func (export "relu_grad_f32") (param $pG i32) (param $pX i32) (param $pOut i32) (param $n i32)
    (local $end i32) (local $g v128) (local $g1 f32)
    (local.set $end (i32.add (local.get $pG) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $pG) (local.get $end)))
        (local.set $g (v128.load (local.get $pG)))
        (v128.store (local.get $pOut)
          (v128.bitselect
            (f32x4.mul (local.get $g) (v128.const f32x4 0 0 0 0))
            (local.get $g)
            (f32x4.le (v128.load (local.get $pX)) (v128.const f32x4 0 0 0 0))))
        (local.set $pG (i32.add (local.get $pG) (i32.const 16)))
        (local.set $pX (i32.add (local.get $pX) (i32.const 16)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done1
      (loop $one
        (br_if $done1 (i32.ge_u (local.get $pG) (local.get $end)))
        (local.set $g1 (f32.load (local.get $pG)))
        (f32.store (local.get $pOut)
          (select (f32.mul (local.get $g1) (f32.const 0)) (local.get $g1)
                  (f32.le (f32.load (local.get $pX)) (f32.const 0))))
        (local.set $pG (i32.add (local.get $pG) (i32.const 4)))
        (local.set $pX (i32.add (local.get $pX) (i32.const 4)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 4)))
        (br $one))))

  (func (export "relu_grad_f64") (param $pG i32) (param $pX i32) (param $pOut i32) (param $n i32)
    (local $end i32) (local $g v128) (local $g1 f64)
    (local.set $end (i32.add (local.get $pG) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $pG) (local.get $end)))
        (local.set $g (v128.load (local.get $pG)))
        (v128.store (local.get $pOut)
          (v128.bitselect
            (f64x2.mul (local.get $g) (v128.const f64x2 0 0))
            (local.get $g)
            (f64x2.le (v128.load (local.get $pX)) (v128.const f64x2 0 0))))
        (local.set $pG (i32.add (local.get $pG) (i32.const 16)))
        (local.set $pX (i32.add (local.get $pX) (i32.const 16)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 16)))
        (br $vec)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $g1 (f64.load (local.get $pG)))
        (f64.store (local.get $pOut)
          (select (f64.mul (local.get $g1) (f64.const 0)) (local.get $g1)
                  (f64.le (f64.load (local.get $pX)) (f64.const 0)))))))

  ;; ------------------------------------------------------------------------------------------
  ;; 2×2 max pooling, stride 2, no padding, over `planes` planes of H×W at pIn → outH×outW maxima
  ;; at pOut and the flat input index of each at pArg (i32). Branch-free (select), with the
  ;; JavaScript kernel's rule: row-major order, a later entry wins if it is larger, or if it is
  ;; NaN while the best so far is not (the first NaN wins); ties keep the first.

  (func (export "maxpool2x2_f32") (param $pIn i32) (param $pOut i32) (param $pArg i32)
        (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $i i32) (local $at i32)
    (local $best f32) (local $v f32) (local $take i32)
    (loop $pl
      (local.set $oh (i32.const 0))
      (loop $rows
        ;; i: flat index of the window's top-left entry
        (local.set $i (i32.add (i32.mul (local.get $plane) (i32.mul (local.get $H) (local.get $W)))
                               (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W))))
        (local.set $ow (i32.const 0))
        (loop $cols
          (local.set $best (f32.load (i32.add (local.get $pIn) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $at (local.get $i))
          ;; entry (0, 1)
          (local.set $v (f32.load offset=4 (i32.add (local.get $pIn) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $take (i32.or (f32.gt (local.get $v) (local.get $best))
                                   (i32.and (f32.ne (local.get $v) (local.get $v))
                                            (f32.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (local.get $i) (i32.const 1)) (local.get $at) (local.get $take)))
          ;; entry (1, 0)
          (local.set $v (f32.load (i32.add (local.get $pIn)
                                           (i32.shl (i32.add (local.get $i) (local.get $W)) (i32.const 2)))))
          (local.set $take (i32.or (f32.gt (local.get $v) (local.get $best))
                                   (i32.and (f32.ne (local.get $v) (local.get $v))
                                            (f32.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (local.get $i) (local.get $W)) (local.get $at) (local.get $take)))
          ;; entry (1, 1)
          (local.set $v (f32.load offset=4 (i32.add (local.get $pIn)
                                           (i32.shl (i32.add (local.get $i) (local.get $W)) (i32.const 2)))))
          (local.set $take (i32.or (f32.gt (local.get $v) (local.get $best))
                                   (i32.and (f32.ne (local.get $v) (local.get $v))
                                            (f32.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (i32.add (local.get $i) (local.get $W)) (i32.const 1))
                                 (local.get $at) (local.get $take)))
          (f32.store (local.get $pOut) (local.get $best))
          (i32.store (local.get $pArg) (local.get $at))
          (local.set $pOut (i32.add (local.get $pOut) (i32.const 4)))
          (local.set $pArg (i32.add (local.get $pArg) (i32.const 4)))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br_if $cols (i32.lt_s (local.tee $ow (i32.add (local.get $ow) (i32.const 1)))
                                 (local.get $outW))))
        (br_if $rows (i32.lt_s (local.tee $oh (i32.add (local.get $oh) (i32.const 1)))
                               (local.get $outH))))
      (br_if $pl (i32.lt_s (local.tee $plane (i32.add (local.get $plane) (i32.const 1)))
                           (local.get $planes)))))

  (func (export "maxpool2x2_f64") (param $pIn i32) (param $pOut i32) (param $pArg i32)
        (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $i i32) (local $at i32)
    (local $best f64) (local $v f64) (local $take i32)
    (loop $pl
      (local.set $oh (i32.const 0))
      (loop $rows
        (local.set $i (i32.add (i32.mul (local.get $plane) (i32.mul (local.get $H) (local.get $W)))
                               (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W))))
        (local.set $ow (i32.const 0))
        (loop $cols
          (local.set $best (f64.load (i32.add (local.get $pIn) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $at (local.get $i))
          (local.set $v (f64.load offset=8 (i32.add (local.get $pIn) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $take (i32.or (f64.gt (local.get $v) (local.get $best))
                                   (i32.and (f64.ne (local.get $v) (local.get $v))
                                            (f64.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (local.get $i) (i32.const 1)) (local.get $at) (local.get $take)))
          (local.set $v (f64.load (i32.add (local.get $pIn)
                                           (i32.shl (i32.add (local.get $i) (local.get $W)) (i32.const 3)))))
          (local.set $take (i32.or (f64.gt (local.get $v) (local.get $best))
                                   (i32.and (f64.ne (local.get $v) (local.get $v))
                                            (f64.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (local.get $i) (local.get $W)) (local.get $at) (local.get $take)))
          (local.set $v (f64.load offset=8 (i32.add (local.get $pIn)
                                           (i32.shl (i32.add (local.get $i) (local.get $W)) (i32.const 3)))))
          (local.set $take (i32.or (f64.gt (local.get $v) (local.get $best))
                                   (i32.and (f64.ne (local.get $v) (local.get $v))
                                            (f64.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $at (select (i32.add (i32.add (local.get $i) (local.get $W)) (i32.const 1))
                                 (local.get $at) (local.get $take)))
          (f64.store (local.get $pOut) (local.get $best))
          (i32.store (local.get $pArg) (local.get $at))
          (local.set $pOut (i32.add (local.get $pOut) (i32.const 8)))
          (local.set $pArg (i32.add (local.get $pArg) (i32.const 4)))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br_if $cols (i32.lt_s (local.tee $ow (i32.add (local.get $ow) (i32.const 1)))
                                 (local.get $outW))))
        (br_if $rows (i32.lt_s (local.tee $oh (i32.add (local.get $oh) (i32.const 1)))
                               (local.get $outH))))
      (br_if $pl (i32.lt_s (local.tee $plane (i32.add (local.get $plane) (i32.const 1)))
                           (local.get $planes)))))
)
