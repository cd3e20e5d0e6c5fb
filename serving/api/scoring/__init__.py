"""What-if scoring with the champion models."""
