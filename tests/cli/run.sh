#!/usr/bin/env bash
# tests/cli/run.sh - the ibpf command line, end to end: results, output
# formats, exit codes and error messages.  Needs $IBPF (the CLI) and
# $IBPF_TEST_OBJDIR (compiled test objects).  Prints "N passed, N failed".
set -u
IBPF=${IBPF:-build/ibpf}
OBJ=${IBPF_TEST_OBJDIR:-build/progs}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '  %s\n' "$@"; }

# expect NAME WANT_EXIT WANT_SUBSTRING -- command...
expect() {
	local name=$1 want_rc=$2 want=$3
	shift 4
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		bad "$name" "exit $rc, want $want_rc" "$out"
	elif [ -n "$want" ] && ! grep -qF -- "$want" <<<"$out"; then
		bad "$name" "missing: $want" "$out"
	else
		ok "$name"
	fi
}

hex_u64() { python3 -c "import struct,sys; print(struct.pack('<Q', int(sys.argv[1]) & (2**64-1)).hex())" "$1"; }

for cc in "" .clang14; do
	# simple_test: ret_user in .bss = x + 100 (odd) or x * 3 (even).
	expect "simple_test$cc odd" 0 '"retval": 0' -- \
		"$IBPF" run "$OBJ/simple_test$cc.o" --ctx "$(hex_u64 7)" --map-out ".bss=$T/bss" --json
	got=$(od -An -tu8 "$T/bss" | tr -d ' ')
	[ "$got" = 107 ] && ok "simple_test$cc .bss = 107" || bad "simple_test$cc .bss" "got $got"
	expect "simple_test$cc even" 0 'retval 0' -- \
		"$IBPF" run "$OBJ/simple_test$cc.o" --ctx "$(hex_u64 8)" --map-out ".bss=$T/bss"
	got=$(od -An -tu8 "$T/bss" | tr -d ' ')
	[ "$got" = 24 ] && ok "simple_test$cc .bss = 24" || bad "simple_test$cc .bss" "got $got"

	# calculon: the seed's expressions; result is the second u64 of ctx.
	for e in "1234567++++++:28" "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+:11"; do
		expr=${e%%:*} want=${e##*:}
		printf '%s' "$expr" > "$T/in"
		ctx="$(hex_u64 ${#expr})$(hex_u64 0)"
		want_ctx="$(hex_u64 ${#expr})$(hex_u64 "$want")"
		for p in calculon calculon_switch; do
			for eng in jit interp; do
				expect "$p$cc $expr ($eng)" 0 "\"ctx_out\": \"$want_ctx\"" -- \
					"$IBPF" run "$OBJ/$p$cc.o" --ctx "$ctx" --map "calculon_input=@$T/in" \
					--json --engine $eng
			done
			expect "$p$cc $expr (checked)" 0 "\"ctx_out\": \"$want_ctx\"" -- \
				"$IBPF" run "$OBJ/$p$cc.o" --ctx "$ctx" --map "calculon_input=@$T/in" --json --checked
		done
	done
done

# dump xlated: the seed's listing.
out=$("$IBPF" dump xlated "$OBJ/simple_test.o" opcodes)
for line in '   3: (18) r2 = subprog[+10]' '       18 42 00 00 0a 00 00 00 00 00 00 00 01 00 00 00' \
	    '   6: (18) r2 = subprog[+10]' '       18 42 00 00 0a 00 00 00 00 00 00 00 02 00 00 00' \
	    '   8: (8d) callx r2' '   9: (18) r1 = map[id:1][0]+0' 'int simple_test(struct simple_ctx * ctx):'; do
	grep -qxF -- "$line" <<<"$out" && ok "dump: $line" || bad "dump: $line" "$out"
done

# verify: the kernel-format log and verdict.
expect "verify accepts simple_test" 0 'insns (limit 1000000) max_states_per_insn' -- "$IBPF" verify "$OBJ/simple_test.o"
expect "verify logs callx targets" 0 '8: callx r2 ; targets: subprog[14]' -- "$IBPF" verify "$OBJ/simple_test.o" --log-level 2
printf '\x95\x00\x00\x00\x00\x00\x00\x00' > "$T/nor0.bin"
expect "verify rejects uninit r0" 1 'R0 !read_ok' -- "$IBPF" verify --raw "$T/nor0.bin"

# show: programs, subprograms in libbpf's order, maps.
expect "show lists subprogs" 0 'subprog[1] foo_2  insns 14..16  static' -- "$IBPF" show "$OBJ/simple_test.o"
expect "show lists maps" 0 '.bss  array  key 4  value 8  max_entries 1' -- "$IBPF" show "$OBJ/simple_test.o"

# map: element operations on a fresh object.
expect "map lookup" 0 'value: 00 00 00 00 00 00 00 00' -- "$IBPF" map "$OBJ/simple_test.o" .bss lookup 00000000
expect "map update then lookup" 0 'value: 2a 00 00 00 00 00 00 00' -- \
	"$IBPF" map "$OBJ/simple_test.o" .bss update 00000000 2a00000000000000 lookup 00000000
expect "map next" 0 'next key: 00 00 00 00' -- "$IBPF" map "$OBJ/simple_test.o" .bss next
expect "map wrong key size" 2 "has 2 bytes, the map wants 4" -- "$IBPF" map "$OBJ/simple_test.o" .bss lookup 0000

# raw instruction streams: r1 = memory, r2 = length.
printf '\xbf\x20\x00\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' > "$T/len.bin"   # r0 = r2; exit
expect "raw r2 is the length" 0 '"retval": 5' -- "$IBPF" run --raw "$T/len.bin" --mem 0102030405 --json
printf '\x79\x10\x08\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' > "$T/oob.bin"   # r0 = *(u64*)(r1+8)
expect "raw out-of-bounds read rejected" 1 'invalid access to memory, mem_size=1 off=8 size=8' -- \
	"$IBPF" run --raw "$T/oob.bin" --mem 00
expect "raw out-of-bounds read stops in checked mode" 1 'insn 0: invalid read of 8 bytes' -- \
	"$IBPF" run --raw "$T/oob.bin" --mem 00 --checked
printf '\xff\x00\x00\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' > "$T/badop.bin"
expect "raw unknown opcode" 1 'insn 0: unknown opcode (code 0xff)' -- "$IBPF" run --raw "$T/badop.bin"
printf '\x05\x00\x05\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' > "$T/jmp.bin"
expect "raw jump out of range" 1 'jump out of range from insn 0 to 6' -- "$IBPF" run --raw "$T/jmp.bin"
printf '\xb7\x00\x00\x00\x00\x00\x00\x00' > "$T/fall.bin"
expect "raw falls off the end" 1 'last insn is not an exit or jmp' -- "$IBPF" run --raw "$T/fall.bin"
printf '\x95\x00\x00' > "$T/short.bin"
expect "raw partial instruction" 2 'not a whole number of 8-byte instructions' -- "$IBPF" run --raw "$T/short.bin"

# bad input: exit 2 with a message naming the problem.
expect "missing file" 2 'cannot open' -- "$IBPF" run "$T/nope.o"
printf 'not an elf file at all, just text....................................................' > "$T/junk.o"
expect "not an ELF" 2 'not an ELF file' -- "$IBPF" show "$T/junk.o"
head -c 200 "$OBJ/simple_test.o" > "$T/trunc.o"
expect "truncated ELF" 2 'trunc.o: section header table' -- "$IBPF" show "$T/trunc.o"
expect "unknown map" 2 "no map named 'nope'" -- "$IBPF" run "$OBJ/simple_test.o" --map nope=@/dev/null
printf 'abc' > "$T/odd"
expect "map file of the wrong size" 2 'has 3 bytes; expected a multiple of 8' -- \
	"$IBPF" run "$OBJ/simple_test.o" --ctx 0700000000000000 --map ".bss=@$T/odd"
expect "ctx too short" 1 'ctx of 1 bytes is shorter than the 8 bytes the program may access' -- \
	"$IBPF" run "$OBJ/simple_test.o" --ctx 07
expect "ctx too short, checked" 1 'invalid read of 8 bytes' -- "$IBPF" run "$OBJ/simple_test.o" --ctx 07 --checked
expect "unknown option" 2 'unknown or incomplete option' -- "$IBPF" run "$OBJ/simple_test.o" --bogus
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$IBPF" frobnicate
expect "unknown program" 2 "no program named 'nope'" -- "$IBPF" run "$OBJ/simple_test.o" --prog nope
expect "bad hex" 2 "is not hex bytes" -- "$IBPF" run "$OBJ/simple_test.o" --ctx 0g

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
