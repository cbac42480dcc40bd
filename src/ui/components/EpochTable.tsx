/** One model's epochs as a table: training, validation and test figures, and the time each took. */
import type { MemberState } from '../../app/state/run-state.ts';
import { formatDuration, formatPercent } from '../../app/format.ts';
import { TableScroll } from './TableScroll.tsx';

export function EpochTable({ member }: { member: MemberState }) {
  if (member.epochs.length === 0) return null;
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatPercent(x));
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));
  return (
    <section className="panel" aria-labelledby="epochs-heading">
      <TableScroll label="Epochs">
        <table className="epochs">
          <caption id="epochs-heading" className="muted small">
            Epochs
          </caption>
          <thead>
            <tr>
              <th scope="col">Epoch</th>
              <th scope="col" className="num">
                Train loss
              </th>
              <th scope="col" className="num">
                Train acc.
              </th>
              <th scope="col" className="num">
                Val. loss
              </th>
              <th scope="col" className="num">
                Val. acc.
              </th>
              <th scope="col" className="num">
                Test acc.
              </th>
              <th scope="col" className="num">
                Time
              </th>
            </tr>
          </thead>
          <tbody>
            {member.epochs.map((e) => (
              <tr key={e.epoch}>
                <th scope="row">{e.epoch}</th>
                <td className="num">{num(e.loss)}</td>
                <td className="num">{pct(e.accuracy)}</td>
                <td className="num">{num(e.valLoss)}</td>
                <td className="num">{pct(e.valAccuracy)}</td>
                <td className="num">{pct(member.evaluations.find((v) => v.epoch === e.epoch)?.accuracy)}</td>
                <td className="num">{formatDuration(e.seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
