/* scalar_fuzz - differential soundness fuzzer for the verifier's scalar domain
 * (check_alu, branch_taken, branch_refine) against concrete BPF semantics.
 * Build: gcc -O1 -Iinclude -Isrc -o /tmp/scalar_fuzz tests/attack/scalar_fuzz.c \
 *        build/libibpf.a -lelf -lz -lm -pthread -lZydis ; /tmp/scalar_fuzz 3000000 SEED
 * Found nothing in ~12M random 8-step sequences (ALU32/64 incl. movsx, bswap,
 * sdiv/smod; JMP/JMP32 refinement). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "verifier/env.h"
#include "isa/isa.h"

static uint64_t rs = 88172645463325252ull;
static uint64_t rnd(void){ rs ^= rs<<13; rs ^= rs>>7; rs ^= rs<<17; return rs; }
static uint64_t interesting(void){
	static const uint64_t v[] = {0,1,2,3,7,8,15,16,31,32,63,64,127,128,255,256,0x7fff,0x8000,0xffff,0x10000,
	 0x7fffffff,0x80000000,0xffffffff,0x100000000ull,0x7fffffffffffffffull,0x8000000000000000ull,~0ull,~0ull-1,
	 0xfffffff0,0xffffffff80000000ull, 0xffffffff7fffffffull, 0x180000000ull};
	switch (rnd()%4) {
	case 0: return v[rnd()%(sizeof v/sizeof v[0])];
	case 1: return v[rnd()%(sizeof v/sizeof v[0])] + (rnd()%5) - 2;
	case 2: return rnd() & ((1ull<<(rnd()%64))-1);
	default: return rnd();
	}
}
static struct vstate st; static struct func_state fs; static struct env E;

static int contains(const struct reg_state *r, uint64_t x){
	if (r->type != SCALAR_VALUE) return 1;
	if ((x & ~r->var_off.mask) != r->var_off.value) return 0;
	if (x < r->umin || x > r->umax) return 0;
	if ((int64_t)x < r->smin || (int64_t)x > r->smax) return 0;
	if ((uint32_t)x < r->u32_min || (uint32_t)x > r->u32_max) return 0;
	if ((int32_t)x < r->s32_min || (int32_t)x > r->s32_max) return 0;
	return 1;
}
static int find_op(int code, int disc){
	for (int i=0;i<IBPF_OP__COUNT;i++) if (ibpf_ops[i].code==code && (ibpf_ops[i].disc==IBPF_DISC_ANY || ibpf_ops[i].disc_val==disc)) return i;
	return -1;
}
static int64_t sdiv64(int64_t a,int64_t b){ if(!b) return 0; if(b==-1) return (int64_t)(0-(uint64_t)a); return a/b;}
static int64_t smod64(int64_t a,int64_t b){ if(!b) return a; if(b==-1) return 0; return a%b;}
static int32_t sdiv32(int32_t a,int32_t b){ if(!b) return 0; if(b==-1) return (int32_t)(0-(uint32_t)a); return a/b;}
static int32_t smod32(int32_t a,int32_t b){ if(!b) return a; if(b==-1) return 0; return a%b;}
/* concrete eval mirroring interp_body.h */
static uint64_t eval(int op, uint64_t D, uint64_t S, int64_t off, int imm){
	const struct ibpf_op_info *o=&ibpf_ops[op]; int cls=o->code&7; int opc=o->code&0xf0;
	if (o->shape==IBPF_SHAPE_ALU_END){
		int le = (o->code & 0x08)==0 && cls==BPF_ALU;
		if (cls==BPF_ALU64){ return imm==16?__builtin_bswap16((uint16_t)D):imm==32?__builtin_bswap32((uint32_t)D):__builtin_bswap64(D);}
		if (le) return imm==16?(uint16_t)D:imm==32?(uint32_t)D:D;
		return imm==16?__builtin_bswap16((uint16_t)D):imm==32?__builtin_bswap32((uint32_t)D):__builtin_bswap64(D);
	}
	if (cls==BPF_ALU64){
		switch(opc){
		case BPF_ADD: return D+S; case BPF_SUB: return D-S; case BPF_MUL: return D*S;
		case BPF_DIV: return off? (uint64_t)sdiv64(D,S) : (S?D/S:0);
		case BPF_MOD: return off? (uint64_t)smod64(D,S) : (S?D%S:D);
		case BPF_OR: return D|S; case BPF_AND: return D&S; case BPF_XOR: return D^S;
		case BPF_LSH: return D<<(S&63); case BPF_RSH: return D>>(S&63);
		case BPF_ARSH: return (uint64_t)((int64_t)D>>(S&63));
		case BPF_NEG: return -D;
		case BPF_MOV: return off==8?(uint64_t)(int64_t)(int8_t)S:off==16?(uint64_t)(int64_t)(int16_t)S:off==32?(uint64_t)(int64_t)(int32_t)S:S;
		}
	} else {
		uint32_t d=D,s=S;
		switch(opc){
		case BPF_ADD: return (uint32_t)(d+s); case BPF_SUB: return (uint32_t)(d-s); case BPF_MUL: return (uint32_t)(d*s);
		case BPF_DIV: return off? (uint32_t)sdiv32(d,s) : (s?d/s:0);
		case BPF_MOD: return off? (uint32_t)smod32(d,s) : (s?d%s:d);
		case BPF_OR: return d|s; case BPF_AND: return d&s; case BPF_XOR: return d^s;
		case BPF_LSH: return (uint32_t)(d<<(s&31)); case BPF_RSH: return d>>(s&31);
		case BPF_ARSH: return (uint32_t)((int32_t)d>>(s&31));
		case BPF_NEG: return (uint32_t)-d;
		case BPF_MOV: return off==8?(uint32_t)(int32_t)(int8_t)S:off==16?(uint32_t)(int32_t)(int16_t)S:s;
		}
	}
	abort();
}
static int cond(int op, int is32, uint64_t a, uint64_t b){
	if (is32){ a=(uint32_t)a; b=(uint32_t)b; int32_t sa=a, sb=b;
		switch(op){case BPF_JEQ:return a==b;case BPF_JNE:return a!=b;case BPF_JGT:return a>b;case BPF_JGE:return a>=b;case BPF_JLT:return a<b;case BPF_JLE:return a<=b;
		case BPF_JSGT:return sa>sb;case BPF_JSGE:return sa>=sb;case BPF_JSLT:return sa<sb;case BPF_JSLE:return sa<=sb;case BPF_JSET:return (a&b)!=0;}
	}
	int64_t sa=a,sb=b;
	switch(op){case BPF_JEQ:return a==b;case BPF_JNE:return a!=b;case BPF_JGT:return a>b;case BPF_JGE:return a>=b;case BPF_JLT:return a<b;case BPF_JLE:return a<=b;
	case BPF_JSGT:return sa>sb;case BPF_JSGE:return sa>=sb;case BPF_JSLT:return sa<sb;case BPF_JSLE:return sa<=sb;case BPF_JSET:return (a&b)!=0;}
	abort();
}
static char buf[4096];
static void dump(const char *w, const struct reg_state *r, uint64_t x){
	fprintf(stderr,"%s: x=%#llx var=(%#llx;%#llx) u=[%#llx,%#llx] s=[%lld,%lld] u32=[%#x,%#x] s32=[%d,%d]\n", w,(unsigned long long)x,
	 (unsigned long long)r->var_off.value,(unsigned long long)r->var_off.mask,(unsigned long long)r->umin,(unsigned long long)r->umax,(long long)r->smin,(long long)r->smax,r->u32_min,r->u32_max,r->s32_min,r->s32_max);
}
int main(int argc,char**argv){
	long iters = argc>1?atol(argv[1]):1000000; if(argc>2) rs=atoll(argv[2]);
	static const int alu_ops[]={BPF_ADD,BPF_SUB,BPF_MUL,BPF_DIV,BPF_MOD,BPF_OR,BPF_AND,BPF_XOR,BPF_LSH,BPF_RSH,BPF_ARSH,BPF_NEG,BPF_MOV,BPF_END};
	static const int jops[]={BPF_JEQ,BPF_JNE,BPF_JGT,BPF_JGE,BPF_JLT,BPF_JLE,BPF_JSGT,BPF_JSGE,BPF_JSLT,BPF_JSLE,BPF_JSET};
	E.log=buf; E.log_size=sizeof buf; st.frame[0]=&fs; E.cur=&st; E.n=0;
	long bugs=0;
	for (long it=0; it<iters; it++){
		uint64_t x[3]; struct reg_state *R=fs.regs;
		for(int i=1;i<=2;i++){ x[i]=interesting(); if(rnd()%3==0){reg_mark_const(&R[i],x[i]);} else reg_mark_unknown(&R[i]); }
		for (int step=0; step<8; step++){
			int d=1+rnd()%2, s=1+rnd()%2;
			struct reg_state before[3]; memcpy(before,R,sizeof before); uint64_t xb[3]={x[0],x[1],x[2]};
			char what[128];
			if (rnd()%2){
				/* ALU */
				int opc=alu_ops[rnd()%14], is64=rnd()%2, useK=rnd()%2, off=0, imm=(int)interesting();
				int code;
				if (opc==BPF_END){ int k=rnd()%3; imm=k==0?16:k==1?32:64; if(is64) code=BPF_ALU64|BPF_END; else code=BPF_ALU|BPF_END|((rnd()%2)?0x08:0); useK=1;}
				else code=(is64?BPF_ALU64:BPF_ALU)|opc|(opc==BPF_NEG?0:(useK?BPF_K:BPF_X));
				if ((opc==BPF_DIV||opc==BPF_MOD)&&rnd()%2) off=1;
				if (opc==BPF_MOV && !useK && rnd()%2){ off = is64? (8<<(rnd()%3)) : (8<<(rnd()%2)); }
				if ((opc==BPF_LSH||opc==BPF_RSH||opc==BPF_ARSH)&&useK) imm = rnd()%(is64?64:32);
				if ((opc==BPF_DIV||opc==BPF_MOD)&&useK&&!imm) imm=3;
				int op=find_op(code, opc==BPF_END?imm:off);
				if (op<0) continue;
				struct ibpf_insn in={0}; in.op=op; in.dst=d; in.src=useK?0:s; in.off=off; in.imm=imm; in.imm64=(uint64_t)(int64_t)imm;
				uint64_t S = useK? (is64? in.imm64 : (uint64_t)(uint32_t)imm) : x[s];
				if (opc==BPF_END || opc==BPF_NEG) S=0;
				if (opc==BPF_MOV && useK) S = is64? in.imm64 : (uint32_t)imm;
				uint64_t nx = eval(op, x[d], S, off, imm);
				E.log_len=0;
				if (check_alu(&E,&in)) { continue; }
				x[d]=nx;
				snprintf(what,sizeof what,"alu %s d=r%d s=%s%d imm=%d off=%d",ibpf_ops[op].name,d,useK?"K":"r",s,imm,off);
			} else {
				int jop=jops[rnd()%11], is32=rnd()%2, useK=rnd()%2;
				struct reg_state kv; uint64_t kx; struct reg_state *src;
				if (useK){ int imm=(int)interesting(); kx = is32? (uint32_t)imm : (uint64_t)(int64_t)imm; reg_mark_const(&kv,kx); src=&kv; }
				else { src=&R[s]; kx=x[s]; if (s==d) src=&R[d]; }
				int truth=cond(jop,is32,x[d],kx);
				int t=branch_taken(&R[d],src,jop,is32);
				if (t>=0 && t!=truth){ bugs++; fprintf(stderr,"BUG branch_taken op=%#x is32=%d said %d real %d\n",jop,is32,t,truth); dump("d",&R[d],x[d]); dump("s",src,kx); }
				if (t<0) branch_refine(&R[d], src, jop, is32, truth);
				snprintf(what,sizeof what,"jmp op=%#x is32=%d K=%d d=r%d s=r%d truth=%d",jop,is32,useK,d,s,truth);
			}
			for (int i=1;i<=2;i++) if(!contains(&R[i],x[i])){ bugs++; fprintf(stderr,"BUG after %s: r%d\n",what,i); dump(" before d",&before[d],xb[d]); dump(" before s",&before[s],xb[s]); dump(" after",&R[i],x[i]); goto next; }
		}
		next:;
		if (bugs>20) break;
	}
	printf("bugs=%ld\n",bugs);
	return 0;
}
