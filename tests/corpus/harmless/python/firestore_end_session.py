from google.cloud import firestore

db = firestore.Client(project="acme-app")


def end_session(session_id: str) -> None:
    """Log one user out by removing their session document."""
    doc = db.collection("sessions").document(session_id)
    snapshot = doc.get()
    if snapshot.exists:
        doc.delete()
