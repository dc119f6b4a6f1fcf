package org.prune4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import org.prune4j.report.MaskUpdate;

import java.util.ArrayList;
import java.util.List;

/**
 * Mask updates in a checkpoint's header, one array per update: {@code [step, epoch, dropped, regrown,
 * survived, kept...]}. A resumed run's sparsity and churn charts then start from its first update, not from
 * the resume.
 */
final class MaskUpdateJson {

    private MaskUpdateJson() {}

    static JsonArray toJson(List<MaskUpdate> updates) {
        JsonArray rows = new JsonArray();
        for (MaskUpdate update : updates) {
            JsonArray row = new JsonArray();
            row.add(update.step());
            row.add(update.epoch());
            row.add(update.dropped());
            row.add(update.regrown());
            row.add(update.survived());
            for (long kept : update.kept()) {
                row.add(kept);
            }
            rows.add(row);
        }
        return rows;
    }

    static List<MaskUpdate> fromJson(JsonArray rows) {
        List<MaskUpdate> updates = new ArrayList<>();
        for (JsonElement element : rows) {
            JsonArray row = element.getAsJsonArray();
            long[] kept = new long[row.size() - 5];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = row.get(5 + i).getAsLong();
            }
            updates.add(new MaskUpdate(row.get(0).getAsLong(), row.get(1).getAsDouble(), kept,
                    row.get(2).getAsLong(), row.get(3).getAsLong(), row.get(4).getAsLong()));
        }
        return updates;
    }
}
