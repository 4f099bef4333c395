package weft.table;

import weft.process.Pid;

/**
 * The message an heir receives when it inherits a table (ETS's {@code {'ETS-TRANSFER', Tab,
 * FromPid, HeirData}}).
 *
 * @param table the table, now owned by the receiver
 * @param from the previous owner
 * @param heirData the data given with the heir
 */
public record TableTransfer(Table<?, ?> table, Pid from, Object heirData) {}
