/** The upload control: file picker, drag and drop, and paste. */
import { useEffect, useState, type DragEvent } from 'react';
import { useLatest } from '../hooks/useLatest.ts';

/**
 * A picture from the file picker ("Upload image"), dropped on the zone, or pasted anywhere on the
 * page (Ctrl+V / ⌘V) while no text field has the focus. A drop or a paste may hold several files:
 * all are handed on, and the panel says which one it answers.
 */
export function UploadDropZone(props: { onFiles: (files: File[]) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const onFiles = useLatest(props.onFiles);

  useEffect(() => {
    const paste = (event: ClipboardEvent) => {
      const target = event.target as HTMLElement | null;
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length === 0) return; // text pastes go where they were meant to
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) && !files[0].type.startsWith('image/'))
        return;
      event.preventDefault();
      onFiles.current(files);
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, [onFiles]);

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) onFiles.current(files);
  };

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>Drop a photo of a clothing item here, paste one, or</p>
      <label className="file-button">
        Upload image
        <input
          type="file"
          accept="image/*"
          className="visually-hidden"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = ''; // the same file again is a new choice
            if (file) onFiles.current([file]);
          }}
        />
      </label>
      <p className="muted small">
        {props.busy ? 'Reading the picture…' : 'Any size; a product on a light background works best (like a shop photo).'}
      </p>
    </div>
  );
}
