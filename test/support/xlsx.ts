// Workbooks read back the way a spreadsheet opens them (exceljs), for download tests:
//
//   const res = await agent.get('/office/pool.xlsx').responseType('blob'); // res.body: a Buffer
//   const rows = await xlsxRows(res.body as Buffer);   // [['Name', …], ['坪山之眼', …]]
import ExcelJS from 'exceljs';

/** A cell as the spreadsheet shows it, with its type and value: a formula would be { formula }. */
export type SheetCell = { type: ExcelJS.ValueType; text: string; value: ExcelJS.CellValue; numFmt?: string };

/** The first worksheet's cells, row by row (each cell's type and shown text). */
export async function xlsxCells(body: Buffer): Promise<SheetCell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no worksheet');
  const rows: SheetCell[][] = [];
  sheet.eachRow((row) => {
    const cells: SheetCell[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) {
      const cell = row.getCell(column);
      cells.push({ type: cell.type, text: cell.text, value: cell.value, numFmt: cell.numFmt });
    }
    rows.push(cells);
  });
  return rows;
}

/** The first worksheet's shown text, row by row. */
export async function xlsxRows(body: Buffer): Promise<string[][]> {
  return (await xlsxCells(body)).map((row) => row.map((cell) => cell.text));
}
