/// A count and its noun as a person writes them: `counted(1, "branch",
/// "branches")` is "1 branch", `counted(2, "checkpoint")` is "2 checkpoints".
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
