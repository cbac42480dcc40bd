/** The upload control: file picker, drag and drop, and paste. */
import { useEffect, useRef, useState, type DragEvent } from 'react';

/**
 * A picture from the file picker ("Upload image"), dropped on the zone, or pasted anywhere on the
 * page (Ctrl+V / ⌘V) while no text field has the focus.
 */
export function UploadDropZone(props: { onFile: (file: File) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const onFile = useRef(props.onFile);
  onFile.current = props.onFile;

  useEffect(() => {
    const paste = (event: ClipboardEvent) => {
      const target = event.target as HTMLElement | null;
      const file = Array.from(event.clipboardData?.files ?? [])[0];
      if (!file) return; // text pastes go where they were meant to
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) && !file.type.startsWith('image/')) return;
      event.preventDefault();
      onFile.current(file);
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, []);

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile.current(file);
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
            if (file) onFile.current(file);
          }}
        />
      </label>
      <p className="muted small">
        {props.busy ? 'Reading the picture…' : 'Any size; a product on a light background works best (like a shop photo).'}
      </p>
    </div>
  );
}
