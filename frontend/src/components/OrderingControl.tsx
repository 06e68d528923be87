import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { Item } from "../api/client";

interface Props {
  item: Item;
  order: string[] | null;
  disabled: boolean;
  onChange: (order: string[]) => void;
}

function Row(props: {
  id: string;
  text: string;
  index: number;
  count: number;
  disabled: boolean;
  move: (from: number, to: number) => void;
}) {
  const { id, text, index, count, disabled, move } = props;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  return (
    <li
      ref={setNodeRef}
      className={`order-row${isDragging ? " dragging" : ""}`}
      style={{ transform: CSS.Transform.toString(transform), transition }}
    >
      <span className="handle" {...attributes} {...listeners} aria-label={`Drag ${text}`} title="Drag, or press Space then the arrow keys">
        ⠿
      </span>
      <span className="order-number" aria-hidden="true">
        {index + 1}
      </span>
      <span className="order-text">{text}</span>
      <span className="order-buttons">
        <button type="button" disabled={disabled || index === 0} onClick={() => move(index, index - 1)} aria-label={`Move "${text}" up`}>
          ↑
        </button>
        <button
          type="button"
          disabled={disabled || index === count - 1}
          onClick={() => move(index, index + 1)}
          aria-label={`Move "${text}" down`}
        >
          ↓
        </button>
      </span>
    </li>
  );
}

/** Ordering by drag and drop (pointer or keyboard, from dnd-kit) and by up/down buttons. */
export function OrderingControl({ item, order, disabled, onChange }: Props) {
  const ids = order ?? item.options.map((o) => o.id);
  const text = new Map(item.options.map((o) => [o.id, o.text]));
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const move = (from: number, to: number) => onChange(arrayMove(ids, from, to));
  // What a screen reader hears while a step is moved by keyboard: the step's text and position.
  const label = (id: UniqueIdentifier) => `"${text.get(String(id)) ?? ""}"`;
  const at = (id: UniqueIdentifier) => `step ${ids.indexOf(String(id)) + 1} of ${ids.length}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${label(active.id)}, ${at(active.id)}.`,
    onDragOver: ({ active, over }) => {
      if (!over) return `${label(active.id)} is not over a step.`;
      if (over.id === active.id) return `${label(active.id)} is at ${at(active.id)}, where it started.`;
      return `${label(active.id)} is over ${at(over.id)}.`;
    },
    onDragEnd: ({ active, over }) =>
      over ? `${label(active.id)} dropped at ${at(over.id)}.` : `${label(active.id)} dropped where it was.`,
    onDragCancel: ({ active }) => `Moving ${label(active.id)} was cancelled; it is back at ${at(active.id)}.`,
  };
  const screenReaderInstructions = {
    draggable:
      "To move a step, press Space to pick it up, the up and down arrow keys to move it, Space again to drop it, or Escape to cancel. The arrow buttons beside each step move it too.",
  };
  const onDragEnd = (event: DragEndEvent) => {
    if (!event.over || event.active.id === event.over.id) return;
    move(ids.indexOf(String(event.active.id)), ids.indexOf(String(event.over.id)));
  };
  return (
    <div className="ordering">
      <p className="hint">
        Put the steps in order: drag them, or use the arrows. {order ? "" : "Not answered yet."}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions }}
      >
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="order-list" aria-label={`Order for question ${item.position}`}>
            {ids.map((id, index) => (
              <Row key={id} id={id} text={text.get(id) ?? ""} index={index} count={ids.length} disabled={disabled} move={move} />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {!order && (
        <button type="button" className="secondary" disabled={disabled} onClick={() => onChange(ids)}>
          Keep this order as my answer
        </button>
      )}
    </div>
  );
}
