/** The Train tab's choice of when to test the model: after each epoch, or once at the end. */
export function EvaluateWhen(props: { value: boolean; disabled: boolean; onChange: (eachEpoch: boolean) => void }) {
  return (
    <fieldset className="segmented" disabled={props.disabled}>
      <legend className="visually-hidden">When to evaluate on the test set</legend>
      <label className={props.value ? 'selected' : ''}>
        <input type="radio" name="evaluate" checked={props.value} onChange={() => props.onChange(true)} />
        Evaluate after each epoch
      </label>
      <label className={!props.value ? 'selected' : ''}>
        <input type="radio" name="evaluate" checked={!props.value} onChange={() => props.onChange(false)} />
        At the end
      </label>
    </fieldset>
  );
}
