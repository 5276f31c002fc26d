from complaints.models.complaints import Category, Complaint, ComplaintEvent

__all__ = ["Category", "Complaint", "ComplaintEvent"]
