/* tests/fuzz/fuzz_trace.c — libFuzzer target (`make fuzz`): any bytes as a
 * trace file. The reader must accept them or refuse them with a message
 * naming the file; what it accepts, the player must index, fold at every
 * frame, seek in and describe without a fault (the sanitizers watch). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../sim/trace_read.h"
#include "../../viz/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0 || size > (1 << 20)) return 0;
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f) return 0;
    sim_trace t;
    char err[512] = "";
    if (sim_trace_init(&t, 100000)) {
        fclose(f);
        return 0;
    }
    int rc = sim_trace_read_file(f, "fuzz.jsonl", &t, err, sizeof err);
    fclose(f);
    if (rc != 0 && strncmp(err, "fuzz.jsonl", 10) != 0) __builtin_trap(); /* a refusal names the file */
    viz_model m;
    if (rc == 0 && viz_model_init(&m, &t, err, sizeof err) == 0) {
        viz_live s;
        char words[512];
        viz_model_seek(&m, 0, &s);
        for (size_t k = 0; k < m.nframes; k++) {
            if (k) viz_model_step(&m, k - 1, &s);
            viz_describe(&m, m.frames[k], words, sizeof words);
            (void)viz_model_hash(&m, k, &s);
        }
        viz_model_seek(&m, m.nframes / 2, &s);
        viz_model_next_fault(&m, 0, 1);
        viz_model_next_batch(&m, m.nframes - 1, -1);
        viz_model_fini(&m);
    }
    sim_trace_fini(&t);
    return 0;
}
