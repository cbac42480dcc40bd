/** The classification report as a table: precision, recall and F1 per class, and their averages. */
import { memo } from 'react';
import type { ClassificationReport } from '../../core/metrics.ts';
import { formatInt } from '../../app/format.ts';
import { TableScroll } from './TableScroll.tsx';

const f = (x: number) => x.toFixed(3);

/** Per-class precision, recall, F1 and support, then accuracy and the macro / weighted averages. */
export const ClassificationReportTable = memo(function ClassificationReportTable({ report }: { report: ClassificationReport }) {
  return (
    <section className="subpanel" aria-labelledby="report-heading">
      <h3 id="report-heading">Classification report</h3>
      <TableScroll label="Classification report">
        <table className="report">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col" className="num">
                Precision
              </th>
              <th scope="col" className="num">
                Recall
              </th>
              <th scope="col" className="num">
                F1
              </th>
              <th scope="col" className="num">
                Support
              </th>
            </tr>
          </thead>
          <tbody>
            {report.perClass.map((c) => (
              <tr key={c.className}>
                <th scope="row">{c.className}</th>
                <td className="num">{f(c.precision)}</td>
                <td className="num">{f(c.recall)}</td>
                <td className="num">{f(c.f1)}</td>
                <td className="num">{formatInt(c.support)}</td>
              </tr>
            ))}
          </tbody>
          <tbody className="report-summary">
            <tr>
              <th scope="row">Accuracy</th>
              <td className="num" />
              <td className="num" />
              <td className="num">{f(report.accuracy)}</td>
              <td className="num">{formatInt(report.total)}</td>
            </tr>
            {(
              [
                ['Macro average', report.macroAvg],
                ['Weighted average', report.weightedAvg],
              ] as const
            ).map(([label, avg]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{f(avg.precision)}</td>
                <td className="num">{f(avg.recall)}</td>
                <td className="num">{f(avg.f1)}</td>
                <td className="num">{formatInt(report.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
});
